/**
 * Restore: one forward change that makes the live board equal to another state of it (a version),
 * so peers receive it live, offline clients merge it like any edit, and under LOCAL it is one undo
 * step. Nothing is rewritten that is already equal: a restore onto an unchanged board writes
 * nothing, and a shape a peer is dragging meanwhile only loses the fields that really differ.
 *
 * A note's rich content is replaced inside its existing fragment (children cloned from the
 * version), so an open note editor stays bound to it.
 */
import * as Y from 'yjs';
import { LOCAL, openBoard, type Board, type Origin } from './board';
import type { ShapeId } from './schema';

/** A board over a fresh doc holding `state` (a Yjs update: a version's full state). Throws if it does not decode. */
export function boardFromState(state: Uint8Array): Board {
  const doc = new Y.Doc({ gc: true });
  Y.applyUpdate(doc, state);
  return openBoard(doc);
}

/** The board's full state as one Yjs update (what a version stores). */
export function encodeBoardState(board: Board): Uint8Array {
  return Y.encodeStateAsUpdate(board.doc);
}

/** A canonical text of one stored value, for equality across docs. */
export function storedValueText(value: unknown): string {
  if (value instanceof Y.XmlFragment) return `xml:${value.toString()}`;
  if (value instanceof Y.Array) return `arr:${JSON.stringify(value.toJSON())}`;
  if (value instanceof Y.Map) return `map:${JSON.stringify(value.toJSON())}`;
  if (value instanceof Y.AbstractType) return `type:${JSON.stringify(value.toJSON())}`;
  return `v:${JSON.stringify(value) ?? 'undefined'}`;
}

/** A prelim copy of a stored value, insertable into another doc (or the same one). */
function copyValue(value: unknown): unknown {
  if (value instanceof Y.XmlFragment) return value.clone();
  if (value instanceof Y.Array) {
    const copy = new Y.Array<unknown>();
    copy.push(value.toArray().map((item) => (item instanceof Y.AbstractType ? copyValue(item) : structuredClone(item))));
    return copy;
  }
  if (value instanceof Y.Map) {
    const copy = new Y.Map<unknown>();
    value.forEach((v, k) => copy.set(k, copyValue(v)));
    return copy;
  }
  if (value instanceof Y.AbstractType) return undefined; // no such field in the schema: not copied
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

function copyShapeMap(from: Y.Map<unknown>): Y.Map<unknown> {
  const y = new Y.Map<unknown>();
  from.forEach((value, key) => {
    const copy = copyValue(value);
    if (copy !== undefined) y.set(key, copy);
  });
  return y;
}

/** Replaces a fragment's children with clones of another's, keeping the fragment itself. */
function replaceFragment(target: Y.XmlFragment, source: Y.XmlFragment): void {
  if (target.length > 0) target.delete(0, target.length);
  const children = source.toArray().map((child) => child.clone());
  if (children.length > 0) target.insert(0, children as (Y.XmlElement | Y.XmlText)[]);
}

/** Makes one live shape equal to its version; returns true if anything was written. */
function restoreShapeInPlace(live: Y.Map<unknown>, version: Y.Map<unknown>): boolean {
  let wrote = false;
  version.forEach((value, key) => {
    const current = live.get(key);
    if (live.has(key) && storedValueText(current) === storedValueText(value)) return;
    if (value instanceof Y.XmlFragment && current instanceof Y.XmlFragment) {
      replaceFragment(current, value);
    } else {
      const copy = copyValue(value);
      if (copy === undefined) return;
      live.set(key, copy);
    }
    wrote = true;
  });
  for (const key of [...live.keys()]) {
    if (!version.has(key)) {
      live.delete(key);
      wrote = true;
    }
  }
  return wrote;
}

export type RestoreResult = { added: number; changed: number; removed: number };

function restoreIds(board: Board, source: Board, ids: Iterable<string>, removeMissing: boolean): RestoreResult {
  const result: RestoreResult = { added: 0, changed: 0, removed: 0 };
  for (const id of ids) {
    const version = source.shapes.get(id);
    const live = board.shapes.get(id);
    if (!version) {
      if (live && removeMissing) {
        board.shapes.delete(id);
        result.removed++;
      }
      continue;
    }
    if (!(version instanceof Y.Map)) continue;
    if (!live || !(live instanceof Y.Map)) {
      board.shapes.set(id, copyShapeMap(version) as Y.Map<unknown>);
      result.added++;
    } else if (restoreShapeInPlace(live, version)) {
      result.changed++;
    }
  }
  return result;
}

/**
 * Makes the live board's shapes equal to `source`'s in one transaction with `origin` (LOCAL: one
 * undo step). Board meta (schema version, creation time) is left alone. Returns what it did.
 */
export function restoreBoard(board: Board, source: Board, origin: Origin = LOCAL): RestoreResult {
  let result: RestoreResult = { added: 0, changed: 0, removed: 0 };
  board.doc.transact(() => {
    const ids = new Set<string>([...board.shapes.keys(), ...source.shapes.keys()]);
    result = restoreIds(board, source, ids, true);
  }, origin);
  return result;
}

/**
 * "Bring this back": makes the given shapes equal to their state in `source` (re-creating deleted
 * ones); shapes absent from `source` are deleted only if `removeMissing`. One transaction.
 */
export function restoreShapes(
  board: Board,
  source: Board,
  ids: Iterable<ShapeId | string>,
  options: { removeMissing?: boolean } = {},
  origin: Origin = LOCAL,
): RestoreResult {
  let result: RestoreResult = { added: 0, changed: 0, removed: 0 };
  board.doc.transact(() => {
    result = restoreIds(board, source, new Set<string>(ids), options.removeMissing ?? false);
  }, origin);
  return result;
}
