/**
 * What a room knows about its board's storage without asking it: the log tail since the last
 * snapshot (which decides when to compact) and a running estimate of the board's encoded size, which
 * enforces the board-size limit (4413) cheaply; only near the limit is the doc measured exactly.
 */
import * as Y from 'yjs';
import { CloseCode } from '../../lib/protocol/close-codes';
import { MalformedMessageError, type RoomPolicy } from './room-types';

type LogPolicy = Pick<RoomPolicy, 'maxBoardBytes' | 'metrics' | 'compactAfterUpdates' | 'compactAfterBytes'>;

export class BoardLog {
  /** Encoded size of the board, approximated between compactions. */
  private boardBytes: number;

  constructor(
    snapshotBytes: number,
    /** Updates in the log after the newest snapshot, and their bytes. */
    private tailCount: number,
    private tailBytes: number,
    private readonly policy: LogPolicy,
  ) {
    this.boardBytes = snapshotBytes + tailBytes;
  }

  get tailEmpty(): boolean {
    return this.tailCount === 0;
  }

  get needsCompaction(): boolean {
    return this.tailCount > this.policy.compactAfterUpdates || this.tailBytes > this.policy.compactAfterBytes;
  }

  /** An update of `bytes` was appended to the log. */
  appended(bytes: number): void {
    this.tailCount++;
    this.tailBytes += bytes;
    this.boardBytes += bytes;
  }

  /** A snapshot of `stateBytes` now covers the first `count` updates (`bytes`) of the tail. */
  compacted(count: number, bytes: number, stateBytes: number): void {
    this.tailCount -= count;
    this.tailBytes -= bytes;
    this.boardBytes = stateBytes + this.tailBytes;
  }

  /** Snapshot of the tail, for a compaction to report back with compacted(). */
  get tail(): { count: number; bytes: number } {
    return { count: this.tailCount, bytes: this.tailBytes };
  }

  /** Throws (4413) if applying `update` to `doc` could grow the board past maxBoardBytes. */
  checkSize(doc: Y.Doc, update: Uint8Array): void {
    const max = this.policy.maxBoardBytes;
    if (this.boardBytes + update.byteLength <= max) return;
    // Near the limit: measure exactly instead of trusting the running estimate, and count only
    // what the doc lacks (a reconnecting client's step 2 repeats the whole delete set).
    this.boardBytes = Y.encodeStateAsUpdate(doc).byteLength;
    const added = Y.diffUpdate(update, Y.encodeStateVector(doc)).byteLength;
    if (this.boardBytes + added <= max) return;
    this.policy.metrics?.error('board_too_large');
    throw new MalformedMessageError(
      `board would grow past ${max} bytes (now ${this.boardBytes}, update ${update.byteLength})`,
      CloseCode.TooLarge,
      'board too large',
    );
  }
}
