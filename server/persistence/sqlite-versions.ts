/**
 * Board versions and the board trash in the SQLite file (the VersionStore half of SqliteStorage).
 * Every write is one IMMEDIATE transaction: it takes the file's write lock before reading, so the
 * dedupe check, the chain it reads and the row it writes cannot be interleaved with another
 * process's write (the `boards` operator command runs beside the server; busy_timeout waits).
 * Chain rules: version-chain.ts; retention: version-retention.ts.
 */
import type Database from 'better-sqlite3';
import { computeFold, encodeVersion, foldInputs, planFold, rebuildState, type ChainLink, type ChainRow } from './version-chain';
import { versionsToPrune, type RetentionCandidate } from './version-retention';
import { INSERT_COLUMNS, META_COLUMNS, chainTip, insertedMeta, isDuplicate, newRowValues, toVersionMeta, type MetaRow, type TipRow } from './version-rows';
import type { AddVersionOptions, NewVersion, RetentionPolicy, TrashedBoard, VersionMeta, VersionStore } from './versions';

/**
 * Migration 3. `versions` is a rowid table (not WITHOUT ROWID like the log): its rows carry large
 * blobs, which SQLite keeps out of the primary-key b-tree this way; the (board_id, id) key is the
 * index that lists a board newest first, and the blobs come last so listing never reads them.
 * delete_set: only on a board's newest version (version-delete-set.ts).
 * board_meta: the per-board version counter (ids are never reused, even after deleting the newest),
 * the checkpoint and the trash mark.
 */
export const SQLITE_VERSIONS_SCHEMA = `
  CREATE TABLE versions (
    board_id TEXT NOT NULL,
    id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('auto', 'named', 'pre-restore')),
    name TEXT,
    editors TEXT NOT NULL,
    added INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    shape_count INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    base_id INTEGER,
    state_vector BLOB NOT NULL,
    delete_set BLOB,
    data BLOB NOT NULL,
    PRIMARY KEY (board_id, id)
  );
  CREATE TABLE board_meta (
    board_id TEXT PRIMARY KEY,
    last_version_id INTEGER NOT NULL DEFAULT 0,
    checkpoint_version_id INTEGER,
    deleted_at INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX board_meta_trash ON board_meta (deleted_at) WHERE deleted_at IS NOT NULL;
`;

/** Every table keyed by board: purging a board empties all of them. */
// board_files: a purged board's references go with it; the files themselves are collected by the file store's gc()
const BOARD_TABLES = ['updates', 'snapshots', 'board_links', 'versions', 'board_meta', 'board_files'] as const;

function prepare(db: Database.Database) {
  return {
    tip: db.prepare<[string], TipRow>('SELECT id, seq, created_at, state_vector, delete_set FROM versions WHERE board_id = ? ORDER BY id DESC LIMIT 1'),
    lastFull: db.prepare<[string], { id: number; bytes: number }>(
      'SELECT id, length(data) AS bytes FROM versions WHERE board_id = ? AND base_id IS NULL ORDER BY id DESC LIMIT 1',
    ),
    after: db.prepare<[string, number], { n: number; bytes: number }>(
      'SELECT COUNT(*) AS n, COALESCE(SUM(length(data)), 0) AS bytes FROM versions WHERE board_id = ? AND id > ?',
    ),
    ensureBoard: db.prepare<[string]>('INSERT INTO board_meta (board_id) VALUES (?) ON CONFLICT (board_id) DO NOTHING'),
    nextId: db.prepare<[string], { id: number }>(
      'UPDATE board_meta SET last_version_id = last_version_id + 1 WHERE board_id = ? RETURNING last_version_id AS id',
    ),
    dropDeleteSet: db.prepare<[string, number]>(
      'UPDATE versions SET bytes = bytes - length(delete_set), delete_set = NULL WHERE board_id = ? AND id = ? AND delete_set IS NOT NULL',
    ),
    insert: db.prepare<unknown[]>(`INSERT INTO versions (${INSERT_COLUMNS}) VALUES (${Array(16).fill('?').join(', ')})`),
    list: db.prepare<[string, number, number], MetaRow>(`SELECT ${META_COLUMNS} FROM versions WHERE board_id = ? AND id < ? ORDER BY id DESC LIMIT ?`),
    one: db.prepare<[string, number], MetaRow>(`SELECT ${META_COLUMNS} FROM versions WHERE board_id = ? AND id = ?`),
    checkpoint: db.prepare<[string], { id: number | null }>('SELECT checkpoint_version_id AS id FROM board_meta WHERE board_id = ?'),
    chain: db.prepare<[string, number, string, number, number], { id: number; base_id: number | null; data: Buffer }>(
      `SELECT id, base_id, data FROM versions WHERE board_id = ? AND id <= ? AND id >= COALESCE(
         (SELECT MAX(id) FROM versions WHERE board_id = ? AND id <= ? AND base_id IS NULL), ?) ORDER BY id`,
    ),
    rename: db.prepare<[string | null, string | null, string, number]>(
      'UPDATE versions SET name = ?, kind = COALESCE(?, kind) WHERE board_id = ? AND id = ?',
    ),
    links: db.prepare<[string, number, string, number, number], { id: number; base_id: number | null }>(
      `SELECT id, base_id FROM versions WHERE board_id = ? AND id >= ? AND id <= COALESCE(
         (SELECT MIN(id) FROM versions WHERE board_id = ? AND id > ?), ?) ORDER BY id`,
    ),
    data: db.prepare<[string, number], { data: Buffer }>('SELECT data FROM versions WHERE board_id = ? AND id = ?'),
    rewrite: db.prepare<[number | null, Uint8Array, number, string, number]>(
      'UPDATE versions SET base_id = ?, data = ?, bytes = ? + length(state_vector) + COALESCE(length(delete_set), 0) WHERE board_id = ? AND id = ?',
    ),
    deleteOne: db.prepare<[string, number]>('DELETE FROM versions WHERE board_id = ? AND id = ?'),
    setCheckpoint: db.prepare<[string, number | null]>(
      `INSERT INTO board_meta (board_id, checkpoint_version_id) VALUES (?, ?)
       ON CONFLICT (board_id) DO UPDATE SET checkpoint_version_id = excluded.checkpoint_version_id`,
    ),
    candidates: db.prepare<[string], { id: number; created_at: number; kind: RetentionCandidate['kind'] }>(
      'SELECT id, created_at, kind FROM versions WHERE board_id = ?',
    ),
    boards: db.prepare<[], { board_id: string }>('SELECT DISTINCT board_id FROM versions'),
    bytes: db.prepare<[string], { n: number }>('SELECT COALESCE(SUM(bytes), 0) AS n FROM versions WHERE board_id = ?'),
    trash: db.prepare<[string, number]>(
      `INSERT INTO board_meta (board_id, deleted_at) VALUES (?, ?)
       ON CONFLICT (board_id) DO UPDATE SET deleted_at = COALESCE(board_meta.deleted_at, excluded.deleted_at)`,
    ),
    untrash: db.prepare<[string]>('UPDATE board_meta SET deleted_at = NULL WHERE board_id = ? AND deleted_at IS NOT NULL'),
    trashedAt: db.prepare<[string], { deleted_at: number | null }>('SELECT deleted_at FROM board_meta WHERE board_id = ?'),
    listTrash: db.prepare<[], { board_id: string; deleted_at: number }>(
      'SELECT board_id, deleted_at FROM board_meta WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, board_id',
    ),
    due: db.prepare<[number], { board_id: string }>('SELECT board_id FROM board_meta WHERE deleted_at IS NOT NULL AND deleted_at < ? ORDER BY board_id'),
    purge: BOARD_TABLES.map((t) => db.prepare<[string]>(`DELETE FROM ${t} WHERE board_id = ?`)),
  };
}

const toLink = (r: { id: number; base_id: number | null }): ChainLink => ({ id: r.id, baseId: r.base_id });

export class SqliteVersionStore implements VersionStore {
  private readonly v;
  private readonly addTx;
  private readonly deleteTx;
  private readonly pruneTx;
  private readonly purgeTx;

  constructor(protected readonly db: Database.Database) {
    const v = (this.v = prepare(db));

    this.addTx = db.transaction((boardId: string, version: NewVersion, options: AddVersionOptions): VersionMeta | null => {
      const createdAt = version.createdAt ?? Date.now();
      const tip = v.tip.get(boardId);
      if (isDuplicate(version, createdAt, options, tip)) return null;
      const full = v.lastFull.get(boardId);
      const enc = encodeVersion(version.state, chainTip(tip, full, full && v.after.get(boardId, full.id)));
      v.ensureBoard.run(boardId);
      if (tip) v.dropDeleteSet.run(boardId, tip.id); // only the newest version needs one
      const id = v.nextId.get(boardId)!.id;
      v.insert.run(boardId, id, ...newRowValues(version, createdAt, enc));
      return insertedMeta(id, version, createdAt, enc.bytes);
    });

    this.deleteTx = db.transaction((boardId: string, ids: number[], lenient: boolean): number => {
      if (ids.length === 0) return 0;
      const first = Math.min(...ids);
      const last = Math.max(...ids);
      const links = v.links.all(boardId, first, boardId, last, last).map(toLink);
      const wanted = new Set(ids);
      const steps = planFold(boardId, links, wanted);
      const data = new Map<number, Uint8Array>();
      for (const id of foldInputs(steps)) {
        const row = v.data.get(boardId, id);
        if (row) data.set(id, row.data);
      }
      const fold = computeFold(boardId, steps, data, new Set(links.filter((l) => wanted.has(l.id)).map((l) => l.id)), lenient);
      for (const r of fold.rewrites) v.rewrite.run(r.baseId, r.data, r.data.byteLength, boardId, r.id);
      for (const id of fold.deleted) v.deleteOne.run(boardId, id);
      const checkpoint = v.checkpoint.get(boardId)?.id ?? null;
      if (checkpoint !== null && fold.deleted.includes(checkpoint)) v.setCheckpoint.run(boardId, null);
      return fold.deleted.length;
    });

    this.pruneTx = db.transaction((boardId: string, policy: RetentionPolicy, now: number): number => {
      const candidates = v.candidates.all(boardId).map((r) => ({ id: r.id, createdAt: r.created_at, kind: r.kind }));
      const doomed = versionsToPrune(candidates, v.checkpoint.get(boardId)?.id ?? null, policy, now);
      return this.deleteTx(boardId, doomed, true);
    });

    this.purgeTx = db.transaction((before: number): string[] => {
      const ids = v.due.all(before).map((r) => r.board_id);
      for (const id of ids) for (const stmt of v.purge) stmt.run(id);
      return ids;
    });
  }

  /** Purged boards: a subclass drops what it caches about them. */
  protected forgetBoards(boardIds: readonly string[]): void {
    void boardIds;
  }

  async addVersion(boardId: string, version: NewVersion, options: AddVersionOptions = {}): Promise<VersionMeta | null> {
    return this.addTx.immediate(boardId, version, options);
  }

  async listVersions(boardId: string, options: { limit?: number; beforeId?: number } = {}): Promise<VersionMeta[]> {
    return this.db.transaction(() => {
      const checkpoint = this.v.checkpoint.get(boardId)?.id ?? null;
      // LIMIT -1: SQLite's "no limit"
      const rows = this.v.list.all(boardId, options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit ?? -1);
      return rows.map((r) => toVersionMeta(r, checkpoint));
    })();
  }

  async getVersion(boardId: string, id: number): Promise<VersionMeta | null> {
    return this.db.transaction(() => {
      const row = this.v.one.get(boardId, id);
      return row ? toVersionMeta(row, this.v.checkpoint.get(boardId)?.id ?? null) : null;
    })();
  }

  async loadVersionState(boardId: string, id: number): Promise<Uint8Array | null> {
    const rows = this.db.transaction((): ChainRow[] | null => {
      if (!this.v.one.get(boardId, id)) return null;
      return this.v.chain.all(boardId, id, boardId, id, id + 1).map((r) => ({ ...toLink(r), data: r.data }));
    })();
    return rows && rebuildState(boardId, id, rows);
  }

  async renameVersion(boardId: string, id: number, name: string | null): Promise<boolean> {
    return this.v.rename.run(name, name === null ? null : 'named', boardId, id).changes > 0;
  }

  async deleteVersion(boardId: string, id: number): Promise<boolean> {
    return this.deleteTx.immediate(boardId, [id], false) > 0;
  }

  async setCheckpoint(boardId: string, id: number | null): Promise<boolean> {
    return this.db
      .transaction(() => {
        if (id !== null && !this.v.one.get(boardId, id)) return false;
        this.v.setCheckpoint.run(boardId, id);
        return true;
      })
      .immediate();
  }

  async getCheckpoint(boardId: string): Promise<number | null> {
    return this.v.checkpoint.get(boardId)?.id ?? null;
  }

  async pruneVersions(policy: RetentionPolicy, now: number = Date.now()): Promise<number> {
    let deleted = 0;
    // one transaction per board: the write lock is never held for the whole file's history
    for (const { board_id } of this.v.boards.all()) deleted += this.pruneTx.immediate(board_id, policy, now);
    return deleted;
  }

  async versionBytes(boardId: string): Promise<number> {
    return this.v.bytes.get(boardId)?.n ?? 0;
  }

  async trashBoard(boardId: string, now: number = Date.now()): Promise<void> {
    this.v.trash.run(boardId, now);
  }

  async untrashBoard(boardId: string): Promise<boolean> {
    return this.v.untrash.run(boardId).changes > 0;
  }

  async trashedAt(boardId: string): Promise<number | null> {
    return this.v.trashedAt.get(boardId)?.deleted_at ?? null;
  }

  async listTrash(): Promise<TrashedBoard[]> {
    return this.v.listTrash.all().map((r) => ({ boardId: r.board_id, deletedAt: r.deleted_at }));
  }

  async purgeTrash(before: number): Promise<string[]> {
    const ids = this.purgeTx.immediate(before);
    this.forgetBoards(ids);
    return ids;
  }
}
