/** The pure parts of version storage: codec, delete-set trimming, encoding decisions, rebuild and folding. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EvolvingBoard, viewOf, viewOfState } from '../testing/versioned-board';
import {
  computeFold,
  encodeVersion,
  foldInputs,
  planFold,
  rebuildState,
  type ChainRow,
  type ChainTip,
  type EncodedVersion,
} from './version-chain';
import { compressUpdate, decompressUpdate } from './version-codec';
import { splitDeleteSet, trimDeleteSet } from './version-delete-set';
import { VersionCorruptError } from './versions';

/** An in-memory chain: what the SQL backends do, without SQL. */
class Chain {
  readonly rows: (ChainRow & EncodedVersion)[] = [];
  add(state: Uint8Array): EncodedVersion {
    const tip = this.rows.at(-1);
    const fullAt = this.rows.findLastIndex((r) => r.baseId === null);
    const after = this.rows.slice(fullAt + 1);
    const chainTip: ChainTip | null = tip
      ? {
          id: tip.id,
          stateVector: tip.stateVector,
          deleteSet: tip.deleteSet,
          diffs: after.length,
          diffBytes: after.reduce((n, r) => n + r.data.byteLength, 0),
          fullBytes: this.rows[fullAt].data.byteLength,
        }
      : null;
    const enc = encodeVersion(state, chainTip);
    this.rows.push({ ...enc, id: this.rows.length + 1 });
    return enc;
  }
  load(id: number): Uint8Array {
    const upto = this.rows.filter((r) => r.id <= id);
    return rebuildState('b', id, upto.slice(upto.findLastIndex((r) => r.baseId === null)));
  }
}

describe('version codec', () => {
  it('round-trips and rejects short, unknown, undecompressable and mismatching data', () => {
    const update = new EvolvingBoard(1).seed(50).version().state;
    const stored = compressUpdate(update);
    expect(stored.byteLength).toBeLessThan(update.byteLength / 2);
    expect([...decompressUpdate(stored)]).toEqual([...update]);
    expect(() => decompressUpdate(stored.subarray(0, 3))).toThrow(/too short/);
    expect(() => decompressUpdate(Uint8Array.of(9, ...stored.subarray(1)))).toThrow(/unknown stored format 9/);
    expect(() => decompressUpdate(Uint8Array.of(...stored.subarray(0, 5), 1, 2, 3))).toThrow(/decompression failed/);
    const flipped = Uint8Array.from(stored);
    flipped[2] ^= 0xff; // checksum byte
    expect(() => decompressUpdate(flipped)).toThrow(/checksum mismatch/);
  });
});

describe('delete-set trimming', () => {
  it('keeps a diff about the size of the change however long the history', () => {
    const b = new EvolvingBoard(2).seed(500);
    const chain = new Chain();
    chain.add(b.version().state);
    for (let i = 0; i < 300; i++) {
      b.touch(10);
      chain.add(b.version().state);
    }
    const last = chain.rows.at(-1)!;
    expect(last.baseId).not.toBeNull();
    // the same diff untrimmed carries 300 versions' worth of overwritten values
    const untrimmed = compressUpdate(Y.diffUpdate(b.version().state, chain.rows.at(-2)!.stateVector));
    expect(last.data.byteLength * 5).toBeLessThan(untrimmed.byteLength);
    expect(viewOfState(chain.load(last.id))).toEqual(viewOf(b.board));
  });

  it('refuses to trim against deletions the new state does not have', () => {
    const b = new EvolvingBoard(3).seed(20);
    const before = b.version().state;
    b.touch(5);
    const after = b.version().state;
    const split = splitDeleteSet(Y.diffUpdate(before, Y.encodeStateVectorFromUpdate(before)))!;
    const later = splitDeleteSet(Y.diffUpdate(after, Y.encodeStateVectorFromUpdate(after)))!;
    expect(trimDeleteSet(later, split.deleteSet)).not.toBeNull();
    expect(trimDeleteSet(split, later.deleteSet)).toBeNull(); // "un-deleting" is a lost history
    expect(trimDeleteSet(split, Uint8Array.of(200))).toBeNull(); // unreadable
  });
});

describe('encodeVersion', () => {
  it('takes a full state first, after 32 diffs, and for a state missing what the tip had', () => {
    const b = new EvolvingBoard(4).seed(400);
    const chain = new Chain();
    for (let i = 0; i < 40; i++) {
      b.touch(3);
      chain.add(b.version().state);
    }
    expect(chain.rows.filter((r) => r.baseId === null).map((r) => r.id)).toEqual([1, 34]);
    // a board that lost updates: an unrelated doc's state does not cover the tip
    const other = new EvolvingBoard(5).seed(400);
    expect(chain.add(other.version().state).baseId).toBeNull();
    expect(viewOfState(chain.load(41))).toEqual(viewOf(other.board));
  });
});

describe('rebuildState', () => {
  const b = new EvolvingBoard(6).seed(50);
  const chain = new Chain();
  for (let i = 0; i < 4; i++) {
    b.step();
    chain.add(b.version().state);
  }

  it('throws VersionCorruptError for a chain without a full state, with a gap, or short of the version', () => {
    const rows = chain.rows;
    expect(rows.map((r) => r.baseId)).toEqual([null, 1, 2, 3]);
    expect(() => rebuildState('b', 4, rows.slice(1))).toThrow(/no full state/);
    expect(() => rebuildState('b', 4, [rows[0], rows[1], rows[3]])).toThrow(/missing chain link before version 4/);
    expect(() => rebuildState('b', 4, rows.slice(0, 3))).toThrow(/does not reach it/);
    expect(() => rebuildState('b', 4, [])).toThrow(VersionCorruptError);
    expect(() => rebuildState('b', 2, [rows[0], { ...rows[1], data: Uint8Array.of(1, 2, 3, 4, 5, 6) }])).toThrow(VersionCorruptError);
  });
});

describe('planFold and computeFold', () => {
  const link = (id: number, baseId: number | null) => ({ id, baseId });
  const links = [link(1, null), link(2, 1), link(3, 2), link(4, null), link(5, 4), link(6, 5)];

  it('folds runs into diff successors only; a deleted full restarts the run', () => {
    expect(planFold('b', links, new Set([2]))).toEqual([{ run: [2], successor: 3, baseId: 1 }]);
    expect(planFold('b', links, new Set([1, 2]))).toEqual([{ run: [1, 2], successor: 3, baseId: null }]);
    expect(planFold('b', links, new Set([3]))).toEqual([]); // its successor is full
    expect(planFold('b', links, new Set([6]))).toEqual([]); // the newest
    expect(planFold('b', links, new Set([2, 3, 4]))).toEqual([{ run: [4], successor: 5, baseId: null }]);
    expect(foldInputs(planFold('b', links, new Set([1, 5])))).toEqual([1, 2, 5, 6]);
    expect(() => planFold('b', [link(1, null), link(2, 1), link(3, 1)], new Set([2]))).toThrow(/broken chain link/);
  });

  it('keeps a run it cannot fold when lenient, throws when strict', () => {
    const steps = planFold('b', links, new Set([2, 5]));
    const data = new Map([[2, Uint8Array.of(0)], [3, Uint8Array.of(0)]]); // 5 and 6 missing, 2 and 3 garbage
    expect(() => computeFold('b', steps, data, new Set([2, 5]), false)).toThrow(VersionCorruptError);
    expect(computeFold('b', steps, data, new Set([2, 5]), true)).toEqual({ deleted: [], rewrites: [] });
    expect(computeFold('b', [], data, new Set([3, 6]), false)).toEqual({ deleted: [3, 6], rewrites: [] });
  });

  it('makes the successor of a deleted full a full state without the content deleted on the way', () => {
    const b = new EvolvingBoard(7).seed(100);
    const chain = new Chain();
    for (let i = 0; i < 6; i++) {
      b.step(6);
      chain.add(b.version().state);
    }
    const expected = viewOfState(chain.load(3));
    const steps = planFold('b', chain.rows, new Set([1, 2]));
    const fold = computeFold('b', steps, new Map(chain.rows.map((r) => [r.id, r.data])), new Set([1, 2]), false);
    expect(fold.rewrites.map((r) => [r.id, r.baseId])).toEqual([[3, null]]);
    const state = decompressUpdate(fold.rewrites[0].data);
    expect(viewOfState(state)).toEqual(expected);
    const merged = Y.mergeUpdates([1, 2, 3].map((id) => decompressUpdate(chain.rows[id - 1].data)));
    expect(state.byteLength).toBeLessThan(merged.byteLength);
  });
});
