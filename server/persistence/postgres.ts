/**
 * PostgreSQL storage (`DATABASE_URL`), shared by every sync server of a deployment.
 *
 * Ordering: appending bumps `boards.last_seq` inside the append transaction, which row-locks the
 * board until COMMIT. So two servers appending to one board get disjoint seq ranges and, since the
 * second waits for the first's commit, a reader that sees seq N also sees every seq below N: the
 * log has no holes, which is what lets a server catch up with `seq > lastApplied` (readSince).
 * Boards of one batch are locked in id order, so two servers' batches cannot deadlock.
 *
 * Durability: COMMIT returns after the WAL is flushed (synchronous_commit=on, set per session so a
 * database whose default is `off` cannot silently weaken it), so an appended update survives the
 * loss of the server process, of Postgres, and of the database host's power. Both SYNC_DURABILITY
 * settings keep it on: with `off` a Postgres crash alone (not only a power cut) loses commits, which
 * would break even the `normal` promise.
 *
 * Compaction: one writer at a time per board through a transaction-scoped advisory lock; a
 * server that cannot take it skips (another one is compacting the same board right now).
 */
import pg from 'pg';
import type { SeqUpdate, SharedStorage, Since } from './shared-storage';
import { toLinks, type LinkRow } from './link-rows';
import { migrate } from './postgres-migrations';
import { PostgresVersionStore } from './postgres-versions';
import type { BoardLinks, LinkKind, StoredBoard } from './storage';

/** Older snapshots are kept for recovery from a state that later fails to load (yjs #417). */
const SNAPSHOTS_KEPT = 3;

// BIGINT comes back as a string by default; seqs stay far below 2^53 (per pool, not process-wide)
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

/** Sent at connect, so every pooled session commits durably whatever the database's default. */
const SESSION_OPTIONS = '-c synchronous_commit=on';

const view = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/**
 * A whole tick in ONE statement (one round trip, atomic on its own): bumps each board's counter
 * by its update count — row locks taken in board-id order, held until the implicit COMMIT — and
 * inserts every update under its new seq (`last_seq - n + ord`).
 */
const APPEND_SQL = `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::bigint[]) AS t(board_id, n)
  ), b AS (
    INSERT INTO boards (id, last_seq)
    SELECT board_id, n FROM input ORDER BY board_id
    ON CONFLICT (id) DO UPDATE SET last_seq = boards.last_seq + EXCLUDED.last_seq
    RETURNING id, last_seq
  ), ins AS (
    INSERT INTO updates (board_id, seq, data)
    SELECT u.board_id, b.last_seq - i.n + u.ord, u.data
    FROM unnest($3::text[], $4::bigint[], $5::bytea[]) AS u(board_id, ord, data)
    JOIN b ON b.id = u.board_id
    JOIN input i ON i.board_id = u.board_id
  )
  SELECT id, last_seq FROM b`;

/**
 * A pool with our session options (durable commits, BIGINT as number), the schema migrated;
 * throws (pool ended) if the database is unreachable. The file store opens its own with it.
 */
export async function openMigratedPool(connectionString: string, max: number): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000, types, options: SESSION_OPTIONS });
  // an idle client losing its connection must not crash the process; the next query reconnects
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    try {
      await migrate(client);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end();
    throw err;
  }
  return pool;
}

export interface PostgresOptions {
  /** Pool size; each server needs few (one append transaction at a time, plus loads). */
  max?: number;
}

/**
 * Boards (this class) and their versions (the PostgresVersionStore it extends: one pool, so the
 * `storage` object is also the VersionStore that hasVersionStore looks for).
 */
export class PostgresStorage extends PostgresVersionStore implements SharedStorage {
  private constructor(pool: pg.Pool) {
    super(pool);
  }

  /** Connects and runs migrations; throws if the database is unreachable. */
  static async open(connectionString: string, options: PostgresOptions = {}): Promise<PostgresStorage> {
    const pool = await openMigratedPool(connectionString, options.max ?? 8);
    return new PostgresStorage(pool);
  }

  async load(boardId: string): Promise<StoredBoard> {
    return this.consistentRead(async (c) => {
      const snap = await c.query<{ seq_upto: number; state: Buffer }>(
        'SELECT seq_upto, state FROM snapshots WHERE board_id = $1 ORDER BY seq_upto DESC LIMIT 1',
        [boardId],
      );
      const snapshotSeq = snap.rows[0]?.seq_upto ?? 0;
      const tail = await c.query<{ data: Buffer }>('SELECT data FROM updates WHERE board_id = $1 AND seq > $2 ORDER BY seq', [
        boardId,
        snapshotSeq,
      ]);
      const last = await c.query<{ last_seq: number }>('SELECT last_seq FROM boards WHERE id = $1', [boardId]);
      const updates = tail.rows.map((r) => view(r.data));
      return {
        snapshot: snap.rows[0] ? view(snap.rows[0].state) : null,
        snapshotSeq,
        updates,
        lastSeq: Math.max(last.rows[0]?.last_seq ?? 0, snapshotSeq),
        tailBytes: updates.reduce((n, u) => n + u.byteLength, 0),
      };
    });
  }

  async appendUpdates(boardId: string, updates: Uint8Array[]): Promise<number> {
    const [seq] = await this.appendBatch([{ boardId, updates }]);
    return seq;
  }

  async appendBatch(batches: readonly { boardId: string; updates: Uint8Array[] }[]): Promise<number[]> {
    // one row per board (ON CONFLICT may touch a row once per statement); entries of the same
    // board keep their order, so each entry's last seq is the board's start + its running count
    const counts = new Map<string, number>();
    const boardOf: string[] = [];
    const ords: number[] = [];
    const data: Buffer[] = [];
    const upto = batches.map(({ boardId, updates }) => {
      let n = counts.get(boardId) ?? 0;
      for (const u of updates) {
        boardOf.push(boardId);
        ords.push(++n);
        data.push(Buffer.from(u.buffer, u.byteOffset, u.byteLength));
      }
      counts.set(boardId, n);
      return n;
    });
    const r = await this.pool.query<{ id: string; last_seq: number }>(APPEND_SQL, [[...counts.keys()], [...counts.values()], boardOf, ords, data]);
    const last = new Map(r.rows.map((row) => [row.id, row.last_seq]));
    return batches.map(({ boardId }, i) => last.get(boardId)! - counts.get(boardId)! + upto[i]);
  }

  async compact(boardId: string, state: Uint8Array, uptoSeq: number): Promise<void> {
    await this.tx(async (c) => {
      const lock = await c.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock(hashtextextended('compact:' || $1, 0)) AS ok", [
        boardId,
      ]);
      if (!lock.rows[0].ok) return; // another server is compacting this board
      const newest = await c.query<{ s: number | null }>('SELECT MAX(seq_upto) AS s FROM snapshots WHERE board_id = $1', [boardId]);
      if ((newest.rows[0].s ?? 0) >= uptoSeq) return; // someone already folded at least this much
      await c.query('INSERT INTO snapshots (board_id, seq_upto, state) VALUES ($1, $2, $3)', [boardId, uptoSeq, Buffer.from(state)]);
      await c.query('DELETE FROM updates WHERE board_id = $1 AND seq <= $2', [boardId, uptoSeq]);
      await c.query(
        `DELETE FROM snapshots WHERE board_id = $1 AND seq_upto NOT IN (
           SELECT seq_upto FROM snapshots WHERE board_id = $1 ORDER BY seq_upto DESC LIMIT $2)`,
        [boardId, SNAPSHOTS_KEPT],
      );
    });
  }

  async readSince(boardId: string, afterSeq: number): Promise<Since> {
    return this.consistentRead(async (c) => {
      const tail = await c.query<{ seq: number; data: Buffer }>(
        'SELECT seq, data FROM updates WHERE board_id = $1 AND seq > $2 ORDER BY seq',
        [boardId, afterSeq],
      );
      const updates: SeqUpdate[] = tail.rows.map((r) => ({ seq: r.seq, data: view(r.data) }));
      const last = await c.query<{ last_seq: number }>('SELECT last_seq FROM boards WHERE id = $1', [boardId]);
      const lastSeq = last.rows[0]?.last_seq ?? 0;
      const firstSeq = updates[0]?.seq ?? lastSeq + 1;
      if (firstSeq === afterSeq + 1) return { snapshot: null, updates };
      // the seqs right after afterSeq were compacted away: the newest snapshot stands in for them
      const snap = await c.query<{ seq_upto: number; state: Buffer }>(
        'SELECT seq_upto, state FROM snapshots WHERE board_id = $1 ORDER BY seq_upto DESC LIMIT 1',
        [boardId],
      );
      const row = snap.rows[0];
      if (!row || row.seq_upto <= afterSeq) return { snapshot: null, updates };
      return { snapshot: { state: view(row.state), seqUpto: row.seq_upto }, updates: updates.filter((u) => u.seq > row.seq_upto) };
    });
  }

  async lastSeqs(boardIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>(boardIds.map((id) => [id, 0]));
    if (boardIds.length === 0) return out;
    const r = await this.pool.query<{ id: string; last_seq: number }>('SELECT id, last_seq FROM boards WHERE id = ANY($1::text[])', [
      boardIds,
    ]);
    for (const row of r.rows) out.set(row.id, row.last_seq);
    return out;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async getBoardLinks(boardId: string): Promise<BoardLinks | null> {
    const r = await this.pool.query<LinkRow>('SELECT kind, key, version FROM board_links WHERE board_id = $1', [boardId]);
    return toLinks(r.rows);
  }

  async createBoardLinks(boardId: string, keys: { edit: string; view: string }): Promise<BoardLinks> {
    const links = await this.tx(async (c) => {
      await c.query(
        `INSERT INTO board_links (board_id, kind, key, version) VALUES ($1, 'edit', $2, 1), ($1, 'view', $3, 1)
         ON CONFLICT (board_id, kind) DO NOTHING`,
        [boardId, keys.edit, keys.view],
      );
      return toLinks((await c.query<LinkRow>('SELECT kind, key, version FROM board_links WHERE board_id = $1', [boardId])).rows);
    });
    if (!links) throw new Error(`board ${boardId} has only one of its two links`);
    return links;
  }

  async rotateBoardLink(boardId: string, kind: LinkKind, newKey: string): Promise<BoardLinks | null> {
    return this.tx(async (c) => {
      await c.query('UPDATE board_links SET key = $1, version = version + 1, ts = now() WHERE board_id = $2 AND kind = $3', [
        newKey,
        boardId,
        kind,
      ]);
      return toLinks((await c.query<LinkRow>('SELECT kind, key, version FROM board_links WHERE board_id = $1', [boardId])).rows);
    });
  }

  private closed = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
