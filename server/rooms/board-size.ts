/**
 * The board-size limit (4413). A running estimate of the board's encoded size (snapshot + log tail,
 * plus what was applied since) decides cheaply; only near the limit is the doc measured exactly.
 */
import * as Y from 'yjs';
import { CloseCode } from '../../lib/protocol/close-codes';
import { MalformedMessageError, type RoomPolicy } from './room-types';

export class BoardSize {
  constructor(
    private bytes: number,
    private readonly policy: Pick<RoomPolicy, 'maxBoardBytes' | 'metrics'>,
  ) {}

  grew(bytes: number): void {
    this.bytes += bytes;
  }

  /** After a compaction: the exact size is known again. */
  reset(bytes: number): void {
    this.bytes = bytes;
  }

  /** Throws (4413) if applying `update` to `doc` could grow the board past maxBoardBytes. */
  check(doc: Y.Doc, update: Uint8Array): void {
    const max = this.policy.maxBoardBytes;
    if (this.bytes + update.byteLength <= max) return;
    // Near the limit: measure exactly instead of trusting the running estimate, and count only
    // what the doc lacks (a reconnecting client's step 2 repeats the whole delete set).
    this.bytes = Y.encodeStateAsUpdate(doc).byteLength;
    const added = Y.diffUpdate(update, Y.encodeStateVector(doc)).byteLength;
    if (this.bytes + added <= max) return;
    this.policy.metrics?.error('board_too_large');
    throw new MalformedMessageError(
      `board would grow past ${max} bytes (now ${this.bytes}, update ${update.byteLength})`,
      CloseCode.TooLarge,
      'board too large',
    );
  }
}
