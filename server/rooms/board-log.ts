/**
 * What a room knows about its board's storage without asking it: the log tail since the last
 * snapshot (which decides when to compact) and a running size of the board, which enforces the
 * board-size limit (4413) cheaply.
 *
 * Size accounting is incremental: the last exact size (a compaction's snapshot, or a measure near
 * the limit) plus the bytes of every update accepted since. An update's bytes are an upper bound
 * of what it adds to the encoded board, so the running size never undercounts. Only when it says
 * an update would cross the limit is the doc measured exactly (a full encode of the board), and at
 * most once per `remeasureBytes` offered (accepted or refused) since the last measure; in between,
 * an update the running size puts over the limit is refused. So a full board costs one encode per
 * `remeasureBytes` of edits instead of one per update, whoever sends them, and the limit holds.
 * The price: a board within `remeasureBytes` (1/128 of the limit) of the limit may be refused an
 * edit that would just have fitted; it is full.
 */
import * as Y from 'yjs';
import { CloseCode } from '../../lib/protocol/close-codes';
import { MalformedMessageError, type RoomPolicy } from './room-types';

type LogPolicy = Pick<RoomPolicy, 'maxBoardBytes' | 'metrics' | 'compactAfterUpdates' | 'compactAfterBytes'>;

/** Re-measure near the limit at most once per this share of the limit offered (32 MiB -> 256 KiB). */
const REMEASURE_FRACTION = 128;
const MIN_REMEASURE_BYTES = 4 * 1024;

export class BoardLog {
  /** Encoded size at the last exact measure (or, after a load, the stored bytes: an upper bound). */
  private measuredBytes: number;
  private measuredExactly = false;
  /** Update bytes accepted (or applied from other servers) since that measure. */
  private sinceMeasure = 0;
  /** Update bytes offered to checkSize since that measure, refused ones included. */
  private offeredSinceMeasure = 0;
  /** Total accepted bytes, so a compaction can tell what arrived after its encode. */
  private acceptedTotal = 0;
  /** Full encodes done to enforce the limit; tests read it. */
  measures = 0;
  private readonly remeasureBytes: number;

  constructor(
    snapshotBytes: number,
    /** Updates in the log after the newest snapshot, and their bytes. */
    private tailCount: number,
    private tailBytes: number,
    private readonly policy: LogPolicy,
  ) {
    this.measuredBytes = snapshotBytes + tailBytes;
    this.remeasureBytes = Math.max(MIN_REMEASURE_BYTES, Math.floor(policy.maxBoardBytes / REMEASURE_FRACTION));
  }

  /** Running size: never below the board's encoded size (up to Yjs encoding slack). */
  get boardBytes(): number {
    return this.measuredBytes + this.sinceMeasure;
  }

  get tailEmpty(): boolean {
    return this.tailCount === 0;
  }

  get needsCompaction(): boolean {
    return this.tailCount > this.policy.compactAfterUpdates || this.tailBytes > this.policy.compactAfterBytes;
  }

  /** An update of `bytes` was appended to the log; `unchecked` = it never went through checkSize (another server's). */
  appended(bytes: number, unchecked = false): void {
    this.tailCount++;
    this.tailBytes += bytes;
    if (unchecked) this.grow(bytes);
  }

  /** A snapshot of `stateBytes` now covers the tail as it was at `folded` (from `tail`). */
  compacted(folded: { count: number; bytes: number; accepted: number }, stateBytes: number): void {
    this.tailCount -= folded.count;
    this.tailBytes -= folded.bytes;
    // exact at the encode; what was accepted while the snapshot was written comes on top
    this.measuredBytes = stateBytes;
    this.measuredExactly = true;
    this.sinceMeasure = this.acceptedTotal - folded.accepted;
    this.offeredSinceMeasure = this.sinceMeasure;
  }

  /** Snapshot of the tail (taken right after encoding the state), to report back with compacted(). */
  get tail(): { count: number; bytes: number; accepted: number } {
    return { count: this.tailCount, bytes: this.tailBytes, accepted: this.acceptedTotal };
  }

  /** Throws (4413) if applying `update` to `doc` could grow the board past maxBoardBytes. */
  checkSize(doc: Y.Doc, update: Uint8Array): void {
    const max = this.policy.maxBoardBytes;
    this.offeredSinceMeasure += update.byteLength;
    if (this.boardBytes + update.byteLength <= max) return this.grow(update.byteLength);
    if (!this.measuredExactly || this.offeredSinceMeasure >= this.remeasureBytes) {
      // measure instead of trusting the running size, and count only what the doc lacks
      // (a reconnecting client's step 2 repeats the whole delete set)
      this.measures++;
      this.measuredBytes = Y.encodeStateAsUpdate(doc).byteLength;
      this.measuredExactly = true;
      this.sinceMeasure = 0;
      this.offeredSinceMeasure = 0;
      const added = Y.diffUpdate(update, Y.encodeStateVector(doc)).byteLength;
      if (this.measuredBytes + added <= max) return this.grow(added);
    }
    this.policy.metrics?.error('board_too_large');
    throw new MalformedMessageError(
      `board would grow past ${max} bytes (now at most ${this.boardBytes}, update ${update.byteLength})`,
      CloseCode.TooLarge,
      'board too large',
    );
  }

  private grow(bytes: number): void {
    this.sinceMeasure += bytes;
    this.acceptedTotal += bytes;
  }
}
