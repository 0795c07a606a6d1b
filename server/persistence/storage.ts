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

/** A share link's capability secret; `version` goes up by one on every rotation. */
export interface BoardLink {
  key: string;
  version: number;
}

/** The two share links of a board: opening the edit link gives `editor`, the view link `viewer`. */
export interface BoardLinks {
  edit: BoardLink;
  view: BoardLink;
}

export type LinkKind = keyof BoardLinks;

export interface Storage {
  load(boardId: string): Promise<StoredBoard>;
  /**
   * Durably appends updates in order; resolves with the seq of the last one only once they
   * survive a process crash.
   */
  appendUpdates(boardId: string, updates: Uint8Array[]): Promise<number>;
  /**
   * Optional: several boards' appends in ONE durable transaction (all or nothing); resolves with
   * each board's last seq, in order. Without it the server calls appendUpdates per board.
   */
  appendBatch?(batches: readonly { boardId: string; updates: Uint8Array[] }[]): Promise<number[]>;
  /** Stores `state` as a snapshot covering seq <= uptoSeq and drops those log entries. */
  compact(boardId: string, state: Uint8Array, uptoSeq: number): Promise<void>;
  /** The board's share links, or null if it has none (never created through the API). */
  getBoardLinks(boardId: string): Promise<BoardLinks | null>;
  /** Creates both links at version 1 unless they exist; returns what is stored (idempotent). */
  createBoardLinks(boardId: string, keys: { edit: string; view: string }): Promise<BoardLinks>;
  /** Replaces one link's key and bumps its version; null if the board has no links. */
  rotateBoardLink(boardId: string, kind: LinkKind, newKey: string): Promise<BoardLinks | null>;
  close(): Promise<void>;
}
