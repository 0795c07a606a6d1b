/**
 * Where board versions live: the same database as the boards (SQLite by default, Postgres in a
 * cluster). A version is a full snapshot of a board's document at a moment; the store decides how
 * to keep it cheaply (a full state every so often, Yjs diffs against the previous version in
 * between, all compressed) and hands back full states.
 *
 * Also here: the board trash (a deleted board is hidden, then purged after a retention period).
 */
import type { VersionKind, VersionMeta } from '../../lib/history/versions';

export type { VersionKind, VersionMeta };

export interface NewVersion {
  kind: VersionKind;
  name: string | null;
  editors: string[];
  added: number;
  changed: number;
  removed: number;
  shapeCount: number;
  /** The board log seq this state covers (Room.seqs.applied). */
  seq: number;
  /** Y.encodeStateAsUpdate of the board doc. */
  state: Uint8Array;
  /** ms since epoch; default now. */
  createdAt?: number;
}

export interface AddVersionOptions {
  /**
   * Automatic versions only: skip (resolve null) if the board's newest version covers `seq` or more,
   * or was taken less than this long ago. Checked under a per-board lock in the same transaction as
   * the insert, so two servers never take the same automatic version twice.
   */
  dedupeWithinMs?: number;
}

/** A stored version whose state cannot be reconstructed (corrupt row, broken chain). */
export class VersionCorruptError extends Error {
  constructor(
    readonly boardId: string,
    readonly versionId: number,
    message: string,
  ) {
    super(`version ${versionId} of board ${boardId} failed to load: ${message}`);
  }
}

export interface RetentionPolicy {
  /** Every version younger than this is kept. */
  keepAllMs: number;
  /** Older than keepAllMs and younger than this: the newest version of each hour is kept. */
  keepHourlyMs: number;
  /** Older than keepHourlyMs: the newest version of each day is kept; beyond this (0 = never) deleted. */
  keepDailyMs: number;
}

export interface TrashedBoard {
  boardId: string;
  deletedAt: number;
}

export interface VersionStore {
  /** Inserts a version (null: skipped by dedupe). Named / pre-restore versions are never skipped. */
  addVersion(boardId: string, version: NewVersion, options?: AddVersionOptions): Promise<VersionMeta | null>;
  /** Newest first; metadata only (cheap: no state is read). */
  listVersions(boardId: string, options?: { limit?: number; beforeId?: number }): Promise<VersionMeta[]>;
  getVersion(boardId: string, id: number): Promise<VersionMeta | null>;
  /** The full state of a version; throws VersionCorruptError if it cannot be rebuilt, null if no such version. */
  loadVersionState(boardId: string, id: number): Promise<Uint8Array | null>;
  /** Names (kind becomes 'named': kept until deleted) or un-names a version; false if none. */
  renameVersion(boardId: string, id: number, name: string | null): Promise<boolean>;
  /** Deletes one version (its successor absorbs its diff); false if none. */
  deleteVersion(boardId: string, id: number): Promise<boolean>;
  /** Marks the board's demo checkpoint (one per board; null clears); false if the version does not exist. */
  setCheckpoint(boardId: string, id: number | null): Promise<boolean>;
  getCheckpoint(boardId: string): Promise<number | null>;
  /**
   * Enforces retention on every board: named versions, the checkpoint and each board's newest
   * version are always kept. Returns how many versions were deleted.
   */
  pruneVersions(policy: RetentionPolicy, now?: number): Promise<number>;
  /** Bytes stored for a board's versions (for the storage benchmark and the operator). */
  versionBytes(boardId: string): Promise<number>;

  /** Moves a board to the trash (idempotent; keeps the first deletedAt). */
  trashBoard(boardId: string, now?: number): Promise<void>;
  /** Takes a board out of the trash; false if it was not there. */
  untrashBoard(boardId: string): Promise<boolean>;
  /** ms since epoch when the board was trashed, or null. */
  trashedAt(boardId: string): Promise<number | null>;
  listTrash(): Promise<TrashedBoard[]>;
  /** Deletes everything of boards trashed before `before` (updates, snapshots, links, versions); returns their ids. */
  purgeTrash(before: number): Promise<string[]>;
}

export function hasVersionStore<T extends object>(storage: T): storage is T & VersionStore {
  const s = storage as Partial<VersionStore>;
  return typeof s.addVersion === 'function' && typeof s.loadVersionState === 'function' && typeof s.trashBoard === 'function';
}
