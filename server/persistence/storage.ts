/**
 * Where boards live between restarts. Async on purpose so a networked backend (Postgres) can
 * implement it without changing rooms or protocol code.
 *
 * Model: per board, an append-only log of Yjs V1 updates numbered by `seq`, plus snapshots that
 * each replace every update with seq <= seqUpto. Loading = latest snapshot + the log tail after it.
 */
export interface StoredBoard {
  /** Merged state of everything up to snapshotSeq, or null if the board was never compacted. */
  snapshot: Uint8Array | null;
  snapshotSeq: number;
  /** Log tail after the snapshot, in seq order. */
  updates: Uint8Array[];
  /** Highest seq known for the board (0 for a new board). */
  lastSeq: number;
  /** Total bytes of `updates`, used to decide when to compact. */
  tailBytes: number;
}

export interface Storage {
  load(boardId: string): Promise<StoredBoard>;
  /**
   * Durably appends updates in order; resolves with the seq of the last one only once they
   * survive a process crash.
   */
  appendUpdates(boardId: string, updates: Uint8Array[]): Promise<number>;
  /** Stores `state` as a snapshot covering seq <= uptoSeq and drops those log entries. */
  compact(boardId: string, state: Uint8Array, uptoSeq: number): Promise<void>;
  close(): Promise<void>;
}
