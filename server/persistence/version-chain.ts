/**
 * How a board's versions are chained, whatever database holds them (pure: no SQL).
 *
 * A stored version is either a full state (base_id NULL) or a Yjs diff against the version stored
 * right before it (base_id = that id). Invariant: base_id is NULL or the id of the previous
 * existing version of the board, so the versions a load needs are exactly the ones from the newest
 * full at or before it up to it. Inserting diffs against the newest version keeps it; deleting a
 * version folds its diff into its successor (the successor's base becomes the deleted one's base),
 * which keeps it too.
 */
import * as Y from 'yjs';
import { compressUpdate, decompressUpdate } from './version-codec';
import { splitDeleteSet, trimDeleteSet } from './version-delete-set';
import { VersionCorruptError } from './versions';

/** A full state at least every 33 versions, so a load merges at most that many updates. */
export const MAX_DIFFS_PER_FULL = 32;

/** What encoding the next version needs to know about the board's newest one. */
export interface ChainTip {
  id: number;
  stateVector: Uint8Array;
  /** Its encoded delete set (version-delete-set.ts); null: unknown, the next diff carries the whole one. */
  deleteSet: Uint8Array | null;
  /** Versions after the newest full one, and the size of their stored data. */
  diffs: number;
  diffBytes: number;
  /** Size of the newest full version's stored data. */
  fullBytes: number;
}

export interface EncodedVersion {
  baseId: number | null;
  stateVector: Uint8Array;
  /** Kept while this is the board's newest version. */
  deleteSet: Uint8Array | null;
  data: Uint8Array;
  /** What the row stores: data, state vector and delete set. */
  bytes: number;
}

export interface ChainLink {
  id: number;
  baseId: number | null;
}

export interface ChainRow extends ChainLink {
  data: Uint8Array;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** True if `sv` has every operation `prev` has (a diff against `prev` then loses nothing). */
function covers(sv: Uint8Array, prev: Uint8Array): boolean {
  try {
    const now = Y.decodeStateVector(sv);
    for (const [client, clock] of Y.decodeStateVector(prev)) if ((now.get(client) ?? 0) < clock) return false;
    return true;
  } catch {
    return false; // an unreadable stored vector: a full state does not need it
  }
}

function encoded(baseId: number | null, update: Uint8Array, stateVector: Uint8Array, deleteSet: Uint8Array | null): EncodedVersion {
  const data = compressUpdate(update);
  return { baseId, stateVector, deleteSet, data, bytes: data.byteLength + stateVector.byteLength + (deleteSet?.byteLength ?? 0) };
}

/**
 * `state` (a full Yjs state) as the next version after `tip`: a diff against it, or a full state
 * when there is no tip, the chain since the last full is long, or its diffs already weigh half a
 * full one (loading then reads at most ~1.5 fulls). A state that lacks operations the tip had (a
 * board that lost updates) is stored full: a diff against the tip would bring them back on load.
 */
export function encodeVersion(state: Uint8Array, tip: ChainTip | null): EncodedVersion {
  const stateVector = Y.encodeStateVectorFromUpdate(state);
  const base = tip && covers(stateVector, tip.stateVector) ? tip : null;
  // against the tip: what changed since; against its own vector: no structs, only the delete set
  const diff = Y.diffUpdate(state, base ? base.stateVector : stateVector);
  const split = splitDeleteSet(diff);
  const deleteSet = split?.deleteSet ?? null;
  if (!base || base.diffs >= MAX_DIFFS_PER_FULL) return encoded(null, state, stateVector, deleteSet);
  const trimmed = split && base.deleteSet ? trimDeleteSet(split, base.deleteSet) : diff;
  if (!trimmed) return encoded(null, state, stateVector, deleteSet);
  const next = encoded(base.id, trimmed, stateVector, deleteSet);
  return base.diffBytes + next.data.byteLength > base.fullBytes / 2 ? encoded(null, state, stateVector, deleteSet) : next;
}

/** The full state of version `id` from its chain: the rows from the nearest full up to it, in id order. */
export function rebuildState(boardId: string, id: number, rows: readonly ChainRow[]): Uint8Array {
  if (rows.length === 0 || rows[0].baseId !== null) throw new VersionCorruptError(boardId, id, 'no full state before it');
  for (let i = 1; i < rows.length; i++) {
    if (rows[i].baseId !== rows[i - 1].id) throw new VersionCorruptError(boardId, id, `missing chain link before version ${rows[i].id}`);
  }
  if (rows.at(-1)!.id !== id) throw new VersionCorruptError(boardId, id, 'chain does not reach it');
  try {
    const parts = rows.map((r) => decompressUpdate(r.data));
    return parts.length === 1 ? parts[0] : Y.mergeUpdates(parts);
  } catch (err) {
    throw new VersionCorruptError(boardId, id, messageOf(err));
  }
}

/** Deleting `run` (consecutive versions) rewrites `successor`, which was a diff against the last of them. */
export interface FoldStep {
  run: number[];
  successor: number;
  /** The successor's new base: the first deleted one's base (null: it becomes a full state). */
  baseId: number | null;
}

/**
 * Which rewrites deleting `deleted` needs, from the links of the board's versions (id order,
 * covering at least the deleted ones and the version right after the last of them). Deleted runs
 * that nothing diffs against (followed by a full or by nothing) need none. Throws if a successor
 * is not a diff against the version before it (a broken chain: folding would make it worse).
 */
export function planFold(boardId: string, links: readonly ChainLink[], deleted: ReadonlySet<number>): FoldStep[] {
  const steps: FoldStep[] = [];
  let run: ChainLink[] = [];
  for (const link of links) {
    if (deleted.has(link.id)) {
      // a deleted full starts the run over: what came before it is not needed after it
      run = link.baseId === null ? [link] : [...run, link];
      continue;
    }
    if (run.length > 0 && link.baseId !== null) {
      if (link.baseId !== run.at(-1)!.id) throw new VersionCorruptError(boardId, link.id, `broken chain link (base ${link.baseId})`);
      steps.push({ run: run.map((r) => r.id), successor: link.id, baseId: run[0].baseId });
    }
    run = [];
  }
  return steps;
}

/** A full state without the content its merged diffs deleted (mergeUpdates keeps it; a doc drops it). */
function collectGarbage(update: Uint8Array): Uint8Array {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/** The successor's new stored data for one step; `data` holds the stored data of the run and the successor. */
export function foldStep(boardId: string, step: FoldStep, data: ReadonlyMap<number, Uint8Array>): Uint8Array {
  try {
    const parts = [...step.run, step.successor].map((id) => {
      const stored = data.get(id);
      if (!stored) throw new Error(`version ${id} vanished`);
      return decompressUpdate(stored);
    });
    const merged = Y.mergeUpdates(parts);
    return compressUpdate(step.baseId === null ? collectGarbage(merged) : merged);
  } catch (err) {
    throw new VersionCorruptError(boardId, step.successor, `cannot fold deleted versions into it: ${messageOf(err)}`);
  }
}

export interface Fold {
  /** What to delete: `deleted` minus the runs left in place (lenient only). */
  deleted: number[];
  rewrites: { id: number; baseId: number | null; data: Uint8Array }[];
}

/**
 * Computes every step. Strict (a user's delete): the first corrupt step throws and nothing is
 * deleted. Lenient (pruning): a run whose fold fails stays where it is, so one damaged version
 * keeps its neighbours but does not stop the rest of the board being pruned.
 */
export function computeFold(
  boardId: string,
  steps: readonly FoldStep[],
  data: ReadonlyMap<number, Uint8Array>,
  deleted: ReadonlySet<number>,
  lenient: boolean,
): Fold {
  const keep = new Set<number>();
  const rewrites: Fold['rewrites'] = [];
  for (const step of steps) {
    try {
      rewrites.push({ id: step.successor, baseId: step.baseId, data: foldStep(boardId, step, data) });
    } catch (err) {
      if (!lenient || !(err instanceof VersionCorruptError)) throw err;
      for (const id of step.run) keep.add(id);
    }
  }
  return { deleted: [...deleted].filter((id) => !keep.has(id)).sort((a, b) => a - b), rewrites };
}

/** Ids whose stored data the steps read. */
export function foldInputs(steps: readonly FoldStep[]): number[] {
  return steps.flatMap((s) => [...s.run, s.successor]);
}
