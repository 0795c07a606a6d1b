/**
 * Board-size accounting near the limit: updates are not each paid for with a full encode of the
 * board, and the limit still holds (the board never ends up bigger than the limit).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardLog } from './board-log';

const KiB = 1024;
const policy = (maxBoardBytes: number) => ({ maxBoardBytes, metrics: null, compactAfterUpdates: 1e9, compactAfterBytes: 1e12 });

/** A board of a little under `bytes` encoded (each entry costs ~1,012 bytes). */
function boardOf(bytes: number): Y.Doc {
  const doc = new Y.Doc();
  const shapes = doc.getMap('shapes');
  for (let i = 0; i < Math.floor(bytes / 1050); i++) shapes.set(`s${i}`, 'x'.repeat(1000));
  const size = Y.encodeStateAsUpdate(doc).byteLength;
  if (size > bytes || size < bytes - 64 * 1024) throw new Error(`test board is ${size} bytes, wanted about ${bytes}`);
  return doc;
}

/** A client holding a copy of `doc`; each call is one drag-style overwrite of a shape field, as an update. */
function editor(doc: Y.Doc, payload = 40): (i: number) => Uint8Array {
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
  return (i) => {
    let out: Uint8Array | null = null;
    const grab = (u: Uint8Array) => (out = u);
    peer.on('update', grab);
    peer.getMap('shapes').set(`drag${i % 5}`, `${i}:${'y'.repeat(payload)}`);
    peer.off('update', grab);
    return out!;
  };
}

/** Runs `update` through the log as the room does: check, apply, commit. Returns false on 4413. */
function offer(log: BoardLog, doc: Y.Doc, update: Uint8Array): boolean {
  try {
    log.checkSize(doc, update);
  } catch {
    return false;
  }
  Y.applyUpdate(doc, update);
  log.appended(update.byteLength);
  return true;
}

describe('BoardLog size accounting', () => {
  it('near the limit, edits cost one full encode per 1/128 of the limit offered, not one per edit', () => {
    const max = 1024 * KiB;
    const doc = boardOf(max - 16 * KiB);
    const log = new BoardLog(Y.encodeStateAsUpdate(doc).byteLength, 0, 0, policy(max));
    let offeredBytes = 0;
    let accepted = 0;
    const n = 1500;
    const edit = editor(doc);
    for (let i = 0; i < n; i++) {
      const u = edit(i);
      offeredBytes += u.byteLength;
      if (offer(log, doc, u)) accepted++;
    }
    // overwrites barely grow the board: most are accepted, and measures are rare
    expect(accepted).toBeGreaterThan(n * 0.6);
    expect(log.measures).toBeGreaterThan(0);
    expect(log.measures).toBeLessThanOrEqual(Math.ceil(offeredBytes / (max / 128)) + 1);
    expect(log.measures).toBeLessThan(n / 20); // today's code: one per edit once past the estimate
    expect(Y.encodeStateAsUpdate(doc).byteLength).toBeLessThanOrEqual(max);
  });

  it('still refuses growth past the limit: the board never ends above it', () => {
    const max = 64 * KiB;
    const doc = boardOf(max - 8 * KiB);
    const log = new BoardLog(Y.encodeStateAsUpdate(doc).byteLength, 0, 0, policy(max));
    let refused = 0;
    for (let i = 0; i < 200; i++) {
      const peer = new Y.Doc();
      Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
      const before = Y.encodeStateVector(peer);
      peer.getMap('shapes').set(`new${i}`, 'z'.repeat(500)); // real growth
      if (!offer(log, doc, Y.encodeStateAsUpdate(peer, before))) refused++;
      expect(Y.encodeStateAsUpdate(doc).byteLength).toBeLessThanOrEqual(max);
    }
    expect(refused).toBeGreaterThan(150);
  });

  it('a compaction resets the running size to the snapshot plus what arrived during it', () => {
    const max = 64 * KiB;
    const doc = boardOf(8 * KiB);
    const log = new BoardLog(0, 0, 0, policy(max));
    const edit = editor(doc, 400);
    for (let i = 0; i < 20; i++) offer(log, doc, edit(i));
    const state = Y.encodeStateAsUpdate(doc);
    const folded = log.tail;
    const late = edit(99);
    offer(log, doc, late);
    log.compacted(folded, state.byteLength);
    expect(log.boardBytes).toBe(state.byteLength + late.byteLength);
    expect(log.tail.count).toBe(1);
  });
});
