/**
 * Board versions and the board trash in PostgreSQL (the VersionStore half of PostgresStorage),
 * written by every server of a cluster at once.
 *
 * Per-board lock: every version write first makes sure the board's board_meta row exists (INSERT
 * … ON CONFLICT DO NOTHING, which waits for a concurrent inserter's commit) and then locks it with
 * SELECT … FOR UPDATE until COMMIT. So the dedupe check, the chain read and the insert of one
 * server never interleave with another server's for the same board, and two servers capturing the
 * same automatic version store it once. The row, not the `boards` row, so a capture never delays
 * appends. Each statement after the lock sees what the previous holder committed (READ COMMITTED).
 * Chain rules: version-chain.ts; retention: version-retention.ts.
 */
import type pg from 'pg';
import { computeFold, encodeVersion, foldInputs, planFold, rebuildState, type ChainRow } from './version-chain';
import { versionsToPrune, type RetentionCandidate } from './version-retention';
import { INSERT_COLUMNS, META_COLUMNS, chainTip, insertedMeta, isDuplicate, newRowValues, toVersionMeta, type MetaRow, type TipRow } from './version-rows';
import type { AddVersionOptions, NewVersion, RetentionPolicy, TrashedBoard, VersionMeta, VersionStore } from './versions';

/** Every table keyed by board (`boards` by id): purging a board empties all of them. */
// board_files: a purged board's references go with it; the files themselves are collected by the file store's gc()
const BOARD_TABLES = ['updates', 'snapshots', 'board_links', 'versions', 'board_files'] as const;

type Link = { id: number; base_id: number | null };

export class PostgresVersionStore implements VersionStore {
  constructor(protected readonly pool: pg.Pool) {}

  protected async tx<T>(fn: (c: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /** Several reads from one moment: a compaction or a version write may commit in between. */
  protected readonly consistentRead = <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> =>
    this.tx(fn, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');

  /** Takes the board's version lock (see above); returns its checkpoint. */
  private async lockBoard(c: pg.PoolClient, boardId: string): Promise<number | null> {
    await c.query('INSERT INTO board_meta (board_id) VALUES ($1) ON CONFLICT (board_id) DO NOTHING', [boardId]);
    const r = await c.query<{ id: number | null }>('SELECT checkpoint_version_id AS id FROM board_meta WHERE board_id = $1 FOR UPDATE', [
      boardId,
    ]);
    return r.rows[0].id;
  }

  private async checkpointOf(c: pg.ClientBase | pg.Pool, boardId: string): Promise<number | null> {
    const r = await c.query<{ id: number | null }>('SELECT checkpoint_version_id AS id FROM board_meta WHERE board_id = $1', [boardId]);
    return r.rows[0]?.id ?? null;
  }

  async addVersion(boardId: string, version: NewVersion, options: AddVersionOptions = {}): Promise<VersionMeta | null> {
    return this.tx(async (c) => {
      await this.lockBoard(c, boardId);
      const createdAt = version.createdAt ?? Date.now();
      const tip = (
        await c.query<TipRow>('SELECT id, seq, created_at, state_vector, delete_set FROM versions WHERE board_id = $1 ORDER BY id DESC LIMIT 1', [boardId])
      ).rows[0];
      if (isDuplicate(version, createdAt, options, tip)) return null;
      const full = (
        await c.query<{ id: number; bytes: number }>(
          'SELECT id, octet_length(data) AS bytes FROM versions WHERE board_id = $1 AND base_id IS NULL ORDER BY id DESC LIMIT 1',
          [boardId],
        )
      ).rows[0];
      const after = full
        ? (
            await c.query<{ n: number; bytes: number }>(
              'SELECT COUNT(*) AS n, COALESCE(SUM(octet_length(data)), 0)::bigint AS bytes FROM versions WHERE board_id = $1 AND id > $2',
              [boardId, full.id],
            )
          ).rows[0]
        : undefined;
      const enc = encodeVersion(version.state, chainTip(tip, full, after));
      // only the newest version needs its delete set
      if (tip) {
        await c.query(
          'UPDATE versions SET bytes = bytes - octet_length(delete_set), delete_set = NULL WHERE board_id = $1 AND id = $2 AND delete_set IS NOT NULL',
          [boardId, tip.id],
        );
      }
      const next = await c.query<{ id: number }>(
        'UPDATE board_meta SET last_version_id = last_version_id + 1 WHERE board_id = $1 RETURNING last_version_id AS id',
        [boardId],
      );
      const id = next.rows[0].id;
      await c.query(
        `INSERT INTO versions (${INSERT_COLUMNS}) VALUES (${Array.from({ length: 16 }, (_, i) => `$${i + 1}`).join(', ')})`,
        [boardId, id, ...newRowValues(version, createdAt, enc)],
      );
      return insertedMeta(id, version, createdAt, enc.bytes);
    });
  }

  async listVersions(boardId: string, options: { limit?: number; beforeId?: number } = {}): Promise<VersionMeta[]> {
    return this.consistentRead(async (c) => {
      const checkpoint = await this.checkpointOf(c, boardId);
      // LIMIT NULL: no limit
      const r = await c.query<MetaRow>(`SELECT ${META_COLUMNS} FROM versions WHERE board_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, [
        boardId,
        options.beforeId ?? Number.MAX_SAFE_INTEGER,
        options.limit ?? null,
      ]);
      return r.rows.map((row) => toVersionMeta(row, checkpoint));
    });
  }

  async getVersion(boardId: string, id: number): Promise<VersionMeta | null> {
    return this.consistentRead(async (c) => {
      const r = await c.query<MetaRow>(`SELECT ${META_COLUMNS} FROM versions WHERE board_id = $1 AND id = $2`, [boardId, id]);
      return r.rows[0] ? toVersionMeta(r.rows[0], await this.checkpointOf(c, boardId)) : null;
    });
  }

  async loadVersionState(boardId: string, id: number): Promise<Uint8Array | null> {
    const rows = await this.consistentRead(async (c): Promise<ChainRow[] | null> => {
      const exists = await c.query('SELECT 1 FROM versions WHERE board_id = $1 AND id = $2', [boardId, id]);
      if (exists.rowCount === 0) return null;
      const r = await c.query<Link & { data: Buffer }>(
        `SELECT id, base_id, data FROM versions WHERE board_id = $1 AND id <= $2 AND id >= COALESCE(
           (SELECT MAX(id) FROM versions WHERE board_id = $1 AND id <= $2 AND base_id IS NULL), $2 + 1) ORDER BY id`,
        [boardId, id],
      );
      return r.rows.map((row) => ({ id: row.id, baseId: row.base_id, data: row.data }));
    });
    return rows && rebuildState(boardId, id, rows);
  }

  async renameVersion(boardId: string, id: number, name: string | null): Promise<boolean> {
    const r = await this.pool.query('UPDATE versions SET name = $1, kind = COALESCE($2, kind) WHERE board_id = $3 AND id = $4', [
      name,
      name === null ? null : 'named',
      boardId,
      id,
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  /** Deletes `ids` (folding diffs into successors) under the board lock the caller holds; returns how many. */
  private async deleteLocked(c: pg.PoolClient, boardId: string, ids: number[], checkpoint: number | null, lenient: boolean): Promise<number> {
    if (ids.length === 0) return 0;
    const first = Math.min(...ids);
    const last = Math.max(...ids);
    const r = await c.query<Link>(
      `SELECT id, base_id FROM versions WHERE board_id = $1 AND id >= $2 AND id <= COALESCE(
         (SELECT MIN(id) FROM versions WHERE board_id = $1 AND id > $3), $3) ORDER BY id`,
      [boardId, first, last],
    );
    const links = r.rows.map((row) => ({ id: row.id, baseId: row.base_id }));
    const wanted = new Set(ids);
    const steps = planFold(boardId, links, wanted);
    const inputs = await c.query<{ id: number; data: Buffer }>('SELECT id, data FROM versions WHERE board_id = $1 AND id = ANY($2::bigint[])', [
      boardId,
      foldInputs(steps),
    ]);
    const data = new Map(inputs.rows.map((row) => [row.id, row.data]));
    const fold = computeFold(boardId, steps, data, new Set(links.filter((l) => wanted.has(l.id)).map((l) => l.id)), lenient);
    for (const w of fold.rewrites) {
      await c.query('UPDATE versions SET base_id = $1, data = $2, bytes = $3 + octet_length(state_vector) + COALESCE(octet_length(delete_set), 0) WHERE board_id = $4 AND id = $5', [
        w.baseId,
        w.data,
        w.data.byteLength,
        boardId,
        w.id,
      ]);
    }
    await c.query('DELETE FROM versions WHERE board_id = $1 AND id = ANY($2::bigint[])', [boardId, fold.deleted]);
    if (checkpoint !== null && fold.deleted.includes(checkpoint)) {
      await c.query('UPDATE board_meta SET checkpoint_version_id = NULL WHERE board_id = $1', [boardId]);
    }
    return fold.deleted.length;
  }

  async deleteVersion(boardId: string, id: number): Promise<boolean> {
    return this.tx(async (c) => (await this.deleteLocked(c, boardId, [id], await this.lockBoard(c, boardId), false)) > 0);
  }

  async setCheckpoint(boardId: string, id: number | null): Promise<boolean> {
    return this.tx(async (c) => {
      await this.lockBoard(c, boardId);
      if (id !== null && (await c.query('SELECT 1 FROM versions WHERE board_id = $1 AND id = $2', [boardId, id])).rowCount === 0) return false;
      await c.query('UPDATE board_meta SET checkpoint_version_id = $1 WHERE board_id = $2', [id, boardId]);
      return true;
    });
  }

  async getCheckpoint(boardId: string): Promise<number | null> {
    return this.checkpointOf(this.pool, boardId);
  }

  async pruneVersions(policy: RetentionPolicy, now: number = Date.now()): Promise<number> {
    const boards = await this.pool.query<{ board_id: string }>('SELECT DISTINCT board_id FROM versions');
    let deleted = 0;
    // one transaction per board, deciding under its lock: a version named meanwhile is kept
    for (const { board_id: boardId } of boards.rows) {
      deleted += await this.tx(async (c) => {
        const checkpoint = await this.lockBoard(c, boardId);
        const r = await c.query<{ id: number; created_at: number; kind: RetentionCandidate['kind'] }>(
          'SELECT id, created_at, kind FROM versions WHERE board_id = $1',
          [boardId],
        );
        const candidates = r.rows.map((row) => ({ id: row.id, createdAt: row.created_at, kind: row.kind }));
        return this.deleteLocked(c, boardId, versionsToPrune(candidates, checkpoint, policy, now), checkpoint, true);
      });
    }
    return deleted;
  }

  async versionBytes(boardId: string): Promise<number> {
    const r = await this.pool.query<{ n: number }>('SELECT COALESCE(SUM(bytes), 0) AS n FROM versions WHERE board_id = $1', [boardId]);
    return r.rows[0].n;
  }

  async trashBoard(boardId: string, now: number = Date.now()): Promise<void> {
    await this.pool.query(
      `INSERT INTO board_meta (board_id, deleted_at) VALUES ($1, $2)
       ON CONFLICT (board_id) DO UPDATE SET deleted_at = COALESCE(board_meta.deleted_at, EXCLUDED.deleted_at)`,
      [boardId, now],
    );
  }

  async untrashBoard(boardId: string): Promise<boolean> {
    const r = await this.pool.query('UPDATE board_meta SET deleted_at = NULL WHERE board_id = $1 AND deleted_at IS NOT NULL', [boardId]);
    return (r.rowCount ?? 0) > 0;
  }

  async trashedAt(boardId: string): Promise<number | null> {
    const r = await this.pool.query<{ deleted_at: number | null }>('SELECT deleted_at FROM board_meta WHERE board_id = $1', [boardId]);
    return r.rows[0]?.deleted_at ?? null;
  }

  async listTrash(): Promise<TrashedBoard[]> {
    const r = await this.pool.query<{ board_id: string; deleted_at: number }>(
      'SELECT board_id, deleted_at FROM board_meta WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, board_id',
    );
    return r.rows.map((row) => ({ boardId: row.board_id, deletedAt: row.deleted_at }));
  }

  async purgeTrash(before: number): Promise<string[]> {
    return this.tx(async (c) => {
      // deleting the meta rows first locks them: a second server purging at once waits, then finds
      // them gone and returns only what it purged itself (nothing)
      const due = await c.query<{ board_id: string }>(
        'DELETE FROM board_meta WHERE deleted_at IS NOT NULL AND deleted_at < $1 RETURNING board_id',
        [before],
      );
      const ids = due.rows.map((r) => r.board_id).sort();
      if (ids.length === 0) return ids;
      for (const table of BOARD_TABLES) await c.query(`DELETE FROM ${table} WHERE board_id = ANY($1::text[])`, [ids]);
      await c.query('DELETE FROM boards WHERE id = ANY($1::text[])', [ids]);
      return ids;
    });
  }
}
