/**
 * What scale-out needs from storage beyond `Storage`: storage that several servers write (Postgres)
 * is also where a server catches up on the updates other servers committed.
 */
import type { Storage } from './storage';

export interface SeqUpdate {
  seq: number;
  data: Uint8Array;
}

export interface Since {
  /** Set when updates after `afterSeq` were already folded into a snapshot: apply it first. */
  snapshot: { state: Uint8Array; seqUpto: number } | null;
  /** The log after max(afterSeq, snapshot.seqUpto), in seq order. */
  updates: SeqUpdate[];
}

export interface SharedStorage extends Storage {
  /** Everything committed for the board after `afterSeq` (one consistent read). */
  readSince(boardId: string, afterSeq: number): Promise<Since>;
  /** Last committed seq of each board (0 if none), for a cheap periodic "am I behind?" check. */
  lastSeqs(boardIds: readonly string[]): Promise<Map<string, number>>;
  /** Resolves if the database answers. */
  ping(): Promise<void>;
}

export function isSharedStorage(storage: Storage): storage is SharedStorage {
  const s = storage as Partial<SharedStorage>;
  return typeof s.readSince === 'function' && typeof s.lastSeqs === 'function' && typeof s.ping === 'function';
}
