/**
 * Diffs that cost about the change. `Y.diffUpdate(state, sv)` keeps only the structs newer than
 * `sv` but always carries the doc's WHOLE delete set, and every overwritten map value (each move
 * of a shape) adds a range to it for good: measured on a 10,000-shape board where 20 shapes move
 * between versions, a diff is 431 bytes compressed at the first version and 25 KB at the
 * 1,000th, nearly all delete set. So a diff keeps only the ranges deleted since the previous
 * version, and the newest version of a board keeps its delete set (versions.delete_set) for the
 * next capture to subtract. Loading merges the chain, whose delete sets then add up to the whole.
 *
 * The delete set is the tail of a V1 update, in yjs' own deterministic encoding (clients in
 * descending order; per client, ranges as varUint clock, len): written here the same way, and a
 * diff whose tail does not match is kept whole rather than guessed at.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

type Range = { clock: number; len: number };
type DeleteSet = Map<number, Range[]>;

function encodeDeleteSet(ds: DeleteSet): Uint8Array {
  const e = encoding.createEncoder();
  const clients = [...ds].filter(([, ranges]) => ranges.length > 0).sort((a, b) => b[0] - a[0]);
  encoding.writeVarUint(e, clients.length);
  for (const [client, ranges] of clients) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, ranges.length);
    for (const r of ranges) {
      encoding.writeVarUint(e, r.clock);
      encoding.writeVarUint(e, r.len);
    }
  }
  return encoding.toUint8Array(e);
}

function decodeDeleteSet(bytes: Uint8Array): DeleteSet {
  const d = decoding.createDecoder(bytes);
  const ds: DeleteSet = new Map();
  for (let n = decoding.readVarUint(d); n > 0; n--) {
    const client = decoding.readVarUint(d);
    const ranges: Range[] = [];
    for (let k = decoding.readVarUint(d); k > 0; k--) ranges.push({ clock: decoding.readVarUint(d), len: decoding.readVarUint(d) });
    ds.set(client, ranges);
  }
  if (decoding.hasContent(d)) throw new Error('trailing bytes after the delete set');
  return ds;
}

/** `ranges` minus `minus` (both sorted, disjoint); null if `minus` is not wholly inside `ranges`. */
function subtractRanges(ranges: readonly Range[], minus: readonly Range[]): Range[] | null {
  const out: Range[] = [];
  let j = 0;
  let covered = 0;
  for (const r of ranges) {
    let start = r.clock;
    const end = r.clock + r.len;
    while (j < minus.length && minus[j].clock + minus[j].len <= start) j++;
    for (let k = j; k < minus.length && minus[k].clock < end; k++) {
      const m = minus[k];
      const from = Math.max(m.clock, start);
      const to = Math.min(m.clock + m.len, end);
      if (from > start) out.push({ clock: start, len: from - start });
      covered += to - from;
      start = Math.max(start, to);
    }
    if (start < end) out.push({ clock: start, len: end - start });
  }
  return covered === minus.reduce((n, m) => n + m.len, 0) ? out : null;
}

export interface SplitDiff {
  /** The diff without its delete set. */
  structs: Uint8Array;
  /** The whole delete set of the state, encoded (what the newest version keeps). */
  deleteSet: Uint8Array;
  ds: DeleteSet;
}

/** Splits a V1 update into structs and delete set; null if its tail is not the encoding expected. */
export function splitDeleteSet(update: Uint8Array): SplitDiff | null {
  const ds: DeleteSet = new Map();
  for (const [client, items] of Y.decodeUpdate(update).ds.clients) {
    ds.set(client, items.map((i) => ({ clock: i.clock, len: i.len })).sort((a, b) => a.clock - b.clock));
  }
  const deleteSet = encodeDeleteSet(ds);
  const at = update.byteLength - deleteSet.byteLength;
  if (at < 0) return null;
  for (let i = 0; i < deleteSet.byteLength; i++) if (update[at + i] !== deleteSet[i]) return null;
  return { structs: update.subarray(0, at), deleteSet, ds };
}

/**
 * The diff with only the deletions that `previous` (the previous version's encoded delete set)
 * lacks; null if the previous version deleted something this state has not (a board that lost
 * updates: only a full state is then right).
 */
export function trimDeleteSet(split: SplitDiff, previous: Uint8Array): Uint8Array | null {
  let prev: DeleteSet;
  try {
    prev = decodeDeleteSet(previous);
  } catch {
    return null;
  }
  const rest: DeleteSet = new Map();
  for (const [client, ranges] of split.ds) {
    const left = subtractRanges(ranges, prev.get(client) ?? []);
    if (!left) return null;
    rest.set(client, left);
  }
  for (const client of prev.keys()) if (!split.ds.has(client) && prev.get(client)!.length > 0) return null;
  const tail = encodeDeleteSet(rest);
  const out = new Uint8Array(split.structs.byteLength + tail.byteLength);
  out.set(split.structs);
  out.set(tail, split.structs.byteLength);
  return out;
}
