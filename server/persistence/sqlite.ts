/**
 * SQLite storage: one file DATA_DIR/commonboard.db shared by all boards.
 *
 * Durability (SYNC_DURABILITY): with `normal` (default, synchronous=NORMAL) a committed
 * transaction is in the WAL file (handed to the OS) before better-sqlite3 returns, so it survives
 * the process being killed (kill -9, OOM, crash), but an OS crash or power loss can lose the last
 * few commits. `full` (synchronous=FULL) fsyncs the WAL on every commit, so a commit also survives
 * those; the fsync runs on the event loop. Measured cost: docs/performance.md ("Durability").
 */
import Database from 'better-sqlite3';
import { toLinks, type LinkRow } from './link-rows';
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer';
import { SQLITE_FILES_SCHEMA } from '../files/schema';
import { SQLITE_VERSIONS_SCHEMA, SqliteVersionStore } from './sqlite-versions';
import type { BoardLinks, LinkKind, Storage, StoredBoard } from './storage';

const SCHEMA_VERSION = 4;
/** Older snapshots are kept for recovery from a state that later fails to load (yjs #417). */
const SNAPSHOTS_KEPT = 3;
/** SQLite's own default: used again if the checkpoint worker fails. */
const AUTO_CHECKPOINT_PAGES = 1000;
/** Bytes a WAL is truncated to when it restarts after a complete checkpoint. */
export const WAL_SIZE_LIMIT = 4 * 1024 * 1024;

export interface SqliteOptions {
  /** Checkpoint the WAL from a worker thread this often (see sqlite-checkpointer.ts); unset = SQLite's inline auto-checkpoint. */
  checkpointEveryMs?: number;
  onCheckpointError?: (message: string) => void;
  /** 'full' = fsync per commit; 'normal' = fsync only at checkpoints. Default 'normal'. */
  synchronous?: 'full' | 'normal';
}

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE updates (
      board_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      data BLOB NOT NULL,
      ts INTEGER NOT NULL,
      PRIMARY KEY (board_id, seq)
    ) WITHOUT ROWID;
    CREATE TABLE snapshots (
      board_id TEXT NOT NULL,
      seq_upto INTEGER NOT NULL,
      state BLOB NOT NULL,
      ts INTEGER NOT NULL,
      PRIMARY KEY (board_id, seq_upto)
    ) WITHOUT ROWID;
  `,
  // share links: capability secrets per board (kind 'edit' | 'view'), rotated by bumping version
  2: `
    CREATE TABLE board_links (
      board_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('edit', 'view')),
      key TEXT NOT NULL,
      version INTEGER NOT NULL,
      ts INTEGER NOT NULL,
      PRIMARY KEY (board_id, kind)
    ) WITHOUT ROWID;
  `,
  // version history and the board trash (sqlite-versions.ts)
  3: SQLITE_VERSIONS_SCHEMA,
  // files on boards (server/files/disk-store.ts): metadata here, bytes under DATA_DIR/files
  4: SQLITE_FILES_SCHEMA,
};

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`database schema version ${current} is newer than this server (${SCHEMA_VERSION})`);
  }
  for (let v = current + 1; v <= SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v}`);
    })();
  }
}

interface SnapshotRow {
  seq_upto: number;
  state: Buffer;
}

/** Opens the file with the pragmas every connection of ours uses, migrated to SCHEMA_VERSION. */
function openDatabase(file: string, options: SqliteOptions): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  // a write burst must not leave a WAL of its peak size on disk for good
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  migrate(db);
  return db;
}

/**
 * Boards (this class) and their versions (the SqliteVersionStore it extends: one connection, so
 * the `storage` object is also the VersionStore that hasVersionStore looks for).
 */
export class SqliteStorage extends SqliteVersionStore implements Storage {
  private readonly stmt;
  private readonly appendTx;
  private readonly appendBatchTx;
  /**
   * Last seq per board: only this process appends to the file, so MAX() is asked once per board.
   * Another process (`npm run boards -- purge-trash`) may only delete a board's rows, which leaves
   * the cached seq above the stored ones: the board's next seqs stay unique, just not from 1.
   */
  private readonly seqs = new Map<string, number>();
  private readonly compactTx;
  private readonly createLinksTx;
  private readonly rotateLinkTx;

  private readonly checkpointer: Checkpointer | null = null;

  constructor(
    /** The database file (the file store opens its own connection to it). */
    readonly file: string,
    options: SqliteOptions = {},
  ) {
    super(openDatabase(file, options));
    if (options.checkpointEveryMs) {
      this.db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = startCheckpointer(file, options.checkpointEveryMs, (message) => {
        // an unbounded WAL is worse than the stalls: back to inline checkpoints
        if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
        options.onCheckpointError?.(message);
      });
    }

    this.stmt = {
      latestSnapshot: this.db.prepare<[string], SnapshotRow>(
        'SELECT seq_upto, state FROM snapshots WHERE board_id = ? ORDER BY seq_upto DESC LIMIT 1',
      ),
      tail: this.db.prepare<[string, number], { data: Buffer }>(
        'SELECT data FROM updates WHERE board_id = ? AND seq > ? ORDER BY seq',
      ),
      maxUpdateSeq: this.db.prepare<[string], { seq: number | null }>(
        'SELECT MAX(seq) AS seq FROM updates WHERE board_id = ?',
      ),
      maxSnapshotSeq: this.db.prepare<[string], { seq: number | null }>(
        'SELECT MAX(seq_upto) AS seq FROM snapshots WHERE board_id = ?',
      ),
      insertUpdate: this.db.prepare<[string, number, Uint8Array, number]>(
        'INSERT INTO updates (board_id, seq, data, ts) VALUES (?, ?, ?, ?)',
      ),
      insertSnapshot: this.db.prepare<[string, number, Uint8Array, number]>(
        'INSERT OR REPLACE INTO snapshots (board_id, seq_upto, state, ts) VALUES (?, ?, ?, ?)',
      ),
      deleteUpdatesUpto: this.db.prepare<[string, number]>('DELETE FROM updates WHERE board_id = ? AND seq <= ?'),
      pruneSnapshots: this.db.prepare<[string, string, number]>(
        `DELETE FROM snapshots WHERE board_id = ? AND seq_upto NOT IN (
           SELECT seq_upto FROM snapshots WHERE board_id = ? ORDER BY seq_upto DESC LIMIT ?)`,
      ),
      links: this.db.prepare<[string], LinkRow>('SELECT kind, key, version FROM board_links WHERE board_id = ?'),
      insertLink: this.db.prepare<[string, LinkKind, string, number]>(
        'INSERT OR IGNORE INTO board_links (board_id, kind, key, version, ts) VALUES (?, ?, ?, 1, ?)',
      ),
      rotateLink: this.db.prepare<[string, number, string, LinkKind]>(
        'UPDATE board_links SET key = ?, version = version + 1, ts = ? WHERE board_id = ? AND kind = ?',
      ),
    };

    this.createLinksTx = this.db.transaction((boardId: string, keys: { edit: string; view: string }) => {
      const ts = Date.now();
      this.stmt.insertLink.run(boardId, 'edit', keys.edit, ts);
      this.stmt.insertLink.run(boardId, 'view', keys.view, ts);
      return toLinks(this.stmt.links.all(boardId));
    });

    this.rotateLinkTx = this.db.transaction((boardId: string, kind: LinkKind, newKey: string) => {
      this.stmt.rotateLink.run(newKey, Date.now(), boardId, kind);
      return toLinks(this.stmt.links.all(boardId));
    });

    // seqs are cached only after COMMIT: a rolled-back transaction leaves the cache untouched
    const insert = (boardId: string, updates: Uint8Array[], ts: number, pending: Map<string, number>): number => {
      let seq = pending.get(boardId) ?? this.lastSeq(boardId);
      for (const update of updates) this.stmt.insertUpdate.run(boardId, ++seq, update, ts);
      pending.set(boardId, seq);
      return seq;
    };
    this.appendTx = this.db.transaction((boardId: string, updates: Uint8Array[], pending: Map<string, number>): number =>
      insert(boardId, updates, Date.now(), pending),
    );
    this.appendBatchTx = this.db.transaction(
      (batches: readonly { boardId: string; updates: Uint8Array[] }[], pending: Map<string, number>): number[] => {
        const ts = Date.now();
        return batches.map((b) => insert(b.boardId, b.updates, ts, pending));
      },
    );

    this.compactTx = this.db.transaction((boardId: string, state: Uint8Array, uptoSeq: number) => {
      this.stmt.insertSnapshot.run(boardId, uptoSeq, state, Date.now());
      this.stmt.deleteUpdatesUpto.run(boardId, uptoSeq);
      this.stmt.pruneSnapshots.run(boardId, boardId, SNAPSHOTS_KEPT);
    });
  }

  protected override forgetBoards(boardIds: readonly string[]): void {
    for (const id of boardIds) this.seqs.delete(id);
  }

  private lastSeq(boardId: string): number {
    const cached = this.seqs.get(boardId);
    if (cached !== undefined) return cached;
    const u = this.stmt.maxUpdateSeq.get(boardId)?.seq ?? 0;
    const s = this.stmt.maxSnapshotSeq.get(boardId)?.seq ?? 0;
    const seq = Math.max(u, s);
    this.seqs.set(boardId, seq);
    return seq;
  }

  async load(boardId: string): Promise<StoredBoard> {
    // one read transaction so a concurrent compaction can't split snapshot and tail
    return this.db.transaction((): StoredBoard => {
      const snap = this.stmt.latestSnapshot.get(boardId);
      const snapshotSeq = snap?.seq_upto ?? 0;
      const updates = this.stmt.tail.all(boardId, snapshotSeq).map((row) => new Uint8Array(row.data));
      const tailBytes = updates.reduce((n, u) => n + u.byteLength, 0);
      return {
        snapshot: snap ? new Uint8Array(snap.state) : null,
        snapshotSeq,
        updates,
        lastSeq: this.lastSeq(boardId),
        tailBytes,
      };
    })();
  }

  async appendUpdates(boardId: string, updates: Uint8Array[]): Promise<number> {
    if (updates.length === 0) return this.lastSeq(boardId);
    const pending = new Map<string, number>();
    const seq = this.appendTx(boardId, updates, pending);
    for (const [id, s] of pending) this.seqs.set(id, s);
    return seq;
  }

  async appendBatch(batches: readonly { boardId: string; updates: Uint8Array[] }[]): Promise<number[]> {
    const pending = new Map<string, number>();
    const seqs = this.appendBatchTx(batches, pending);
    for (const [id, s] of pending) this.seqs.set(id, s);
    return seqs;
  }

  async compact(boardId: string, state: Uint8Array, uptoSeq: number): Promise<void> {
    this.compactTx(boardId, state, uptoSeq);
  }

  async getBoardLinks(boardId: string): Promise<BoardLinks | null> {
    return toLinks(this.stmt.links.all(boardId));
  }

  async createBoardLinks(boardId: string, keys: { edit: string; view: string }): Promise<BoardLinks> {
    const links = this.createLinksTx(boardId, keys);
    if (!links) throw new Error(`board ${boardId} has only one of its two links`);
    return links;
  }

  async rotateBoardLink(boardId: string, kind: LinkKind, newKey: string): Promise<BoardLinks | null> {
    return this.rotateLinkTx(boardId, kind, newKey);
  }

  /** SQLite's synchronous level on the writing connection: 1 = NORMAL, 2 = FULL (tests read it). */
  get synchronousLevel(): number {
    return this.db.pragma('synchronous', { simple: true }) as number;
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }
}
