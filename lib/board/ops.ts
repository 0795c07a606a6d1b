/**
 * Document operations. Each runs in one doc.transact(…, origin) so it is one undo step and one
 * update on the wire. Ids a peer deleted meanwhile are skipped silently (deleted mid-drag).
 */
import * as Y from 'yjs';
import { LOCAL, type Board, type Origin } from './board';
import { keyBetween } from './fractional-index';
import { getTopIndex } from './read';
import {
  assertValidPatch,
  DEFAULT_STYLE,
  isShapeId,
  isValidCreatedBy,
  type ShapeId,
  type ShapePatch,
  type ShapeStyle,
  type ShapeType,
} from './schema';

/** 128 random bits, base64url: unguessable and collision-free in practice. */
export function newShapeId(): ShapeId {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') as ShapeId;
}

export type NewShape = {
  type: ShapeType;
  x: number;
  y: number;
  w: number;
  h: number;
  rotation?: number;
  style?: Partial<ShapeStyle>;
  createdBy: string;
  /** Defaults to a fresh id. */
  id?: ShapeId;
  /** Defaults to above every existing shape. */
  index?: string;
};

function writeStyle(y: Y.Map<unknown>, style: Partial<ShapeStyle>): void {
  for (const key of ['stroke', 'fill', 'strokeWidth', 'opacity'] as const) {
    const value = style[key];
    if (value !== undefined && y.get(key) !== value) y.set(key, value);
  }
}

/** Adds a shape on top of the z-order (unless an index is given) and returns its id. */
export function addShape(board: Board, input: NewShape, origin: Origin = LOCAL): ShapeId {
  const id = input.id ?? newShapeId();
  if (!isShapeId(id)) throw new Error(`invalid shape id: ${id}`);
  if (board.shapes.has(id)) throw new Error(`shape ${id} already exists`);
  if (!isValidCreatedBy(input.createdBy)) throw new Error('createdBy is too long');
  const rotation = input.rotation ?? 0;
  const style = { ...DEFAULT_STYLE, ...input.style };
  assertValidPatch({ x: input.x, y: input.y, w: input.w, h: input.h, rotation, style, index: input.index });
  board.doc.transact(() => {
    const index = input.index ?? keyBetween(getTopIndex(board), null);
    const y = new Y.Map<unknown>();
    y.set('id', id);
    y.set('type', input.type);
    y.set('x', input.x);
    y.set('y', input.y);
    y.set('w', input.w);
    y.set('h', input.h);
    y.set('rotation', rotation);
    y.set('index', index);
    y.set('createdBy', input.createdBy);
    // plain sets: a map not yet in the doc must not be read (yjs warns "Invalid access")
    for (const key of ['stroke', 'fill', 'strokeWidth', 'opacity'] as const) y.set(key, style[key]);
    board.shapes.set(id, y);
  }, origin);
  return id;
}

/** Sets the given fields only (unchanged values are not rewritten, so they don't win conflicts needlessly). */
export function updateShape(board: Board, id: ShapeId, patch: ShapePatch, origin: Origin = LOCAL): boolean {
  assertValidPatch(patch);
  const y = board.shapes.get(id);
  if (!y) return false;
  board.doc.transact(() => {
    for (const key of ['x', 'y', 'w', 'h', 'rotation', 'index'] as const) {
      const value = patch[key];
      if (value !== undefined && y.get(key) !== value) y.set(key, value);
    }
    if (patch.style) writeStyle(y, patch.style);
  }, origin);
  return true;
}

export type Vec = { x: number; y: number };

/** Moves shapes by a delta (relative, so concurrent moves by two users add up rather than clobber). */
export function moveShapes(board: Board, ids: Iterable<ShapeId>, delta: Vec, origin: Origin = LOCAL): void {
  if (!Number.isFinite(delta.x) || !Number.isFinite(delta.y)) throw new Error('invalid move delta');
  if (delta.x === 0 && delta.y === 0) return;
  board.doc.transact(() => {
    for (const id of ids) {
      const y = board.shapes.get(id);
      if (!y) continue; // deleted by a peer mid-drag
      const x0 = y.get('x');
      const y0 = y.get('y');
      if (typeof x0 !== 'number' || typeof y0 !== 'number') continue; // malformed: leave it alone
      y.set('x', x0 + delta.x);
      y.set('y', y0 + delta.y);
    }
  }, origin);
}

export function deleteShapes(board: Board, ids: Iterable<ShapeId>, origin: Origin = LOCAL): void {
  board.doc.transact(() => {
    for (const id of ids) board.shapes.delete(id);
  }, origin);
}

/** Puts the shapes above all others, keeping their relative order. */
export function bringToFront(board: Board, ids: Iterable<ShapeId>, origin: Origin = LOCAL): void {
  const wanted = new Set<string>(ids);
  board.doc.transact(() => {
    const moving = [...wanted]
      .map((id) => ({ id, y: board.shapes.get(id) }))
      .filter((e): e is { id: string; y: Y.Map<unknown> } => e.y !== undefined)
      .sort((a, b) => (String(a.y.get('index')) < String(b.y.get('index')) ? -1 : 1)); // ASCII, not locale order
    let top = getTopIndex(board);
    for (const { y } of moving) {
      top = keyBetween(top, null);
      y.set('index', top);
    }
  }, origin);
}
