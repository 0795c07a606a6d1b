/**
 * Document operations. Each runs in one doc.transact(…, origin) so it is one undo step and one
 * update on the wire. Ids a peer deleted meanwhile are skipped silently (deleted mid-drag).
 * Z-order ops live in ops-order.ts, point and binding ops in ops-points.ts.
 */
import * as Y from 'yjs';
import { LOCAL, type Board, type Origin } from './board';
import { keyBetween } from './fractional-index';
import { encodeFreehandChunk, encodeLinePoints } from './ops-encode';
import { freezeArrowEnd } from './ops-points';
import { getShape, getTopIndex } from './read';
import {
  assertValidImageFields,
  assertValidPatch,
  DEFAULT_NOTE_COLOR,
  DEFAULT_STYLE,
  isArrowBinding,
  isShapeId,
  isValidCreatedBy,
  MAX_FREEHAND_POINTS,
  STYLE_KEYS,
  type ArrowBinding,
  type FreehandPoint,
  type ImageFields,
  type ShapeId,
  type ShapePatch,
  type ShapeStyle,
  type ShapeType,
  type Vec,
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
  locked?: boolean;
  createdBy: string;
  /** Defaults to a fresh id. */
  id?: ShapeId;
  /** Defaults to above every existing shape. */
  index?: string;
  /** line / arrow: points in the local frame (default: the box's diagonal). freehand: required. */
  points?: readonly (Vec | FreehandPoint)[];
  /** arrow bindings */
  start?: ArrowBinding | null;
  end?: ArrowBinding | null;
  /** text */
  text?: string;
  /** note background */
  color?: string;
  /** image: the file reference (required for type 'image'; see ops-images.ts) */
  image?: ImageFields;
};

const IMAGE_KEYS = ['fileId', 'mime', 'bytes', 'naturalWidth', 'naturalHeight', 'crop', 'alt'] as const satisfies readonly (keyof ImageFields)[];

/** Adds a shape on top of the z-order (unless an index is given) and returns its id. */
export function addShape(board: Board, input: NewShape, origin: Origin = LOCAL): ShapeId {
  const id = input.id ?? newShapeId();
  if (!isShapeId(id)) throw new Error(`invalid shape id: ${id}`);
  if (board.shapes.has(id)) throw new Error(`shape ${id} already exists`);
  if (!isValidCreatedBy(input.createdBy)) throw new Error('createdBy is too long');
  const rotation = input.rotation ?? 0;
  const style = { ...DEFAULT_STYLE, ...input.style };
  const locked = input.locked ?? false;
  assertValidPatch({ x: input.x, y: input.y, w: input.w, h: input.h, rotation, style, index: input.index, locked, text: input.text, color: input.color });
  for (const key of ['start', 'end'] as const) {
    const b = input[key];
    if (b != null && !isArrowBinding(b)) throw new Error(`invalid arrow ${key} binding: ${JSON.stringify(b)}`);
  }
  // validate before the transaction so a bad input writes nothing
  let linePoints: number[] | null = null;
  let freehand: number[] | null = null;
  if (input.type === 'line' || input.type === 'arrow') {
    linePoints = encodeLinePoints(input.points ?? [{ x: 0, y: 0 }, { x: input.w, y: input.h }]);
  } else if (input.type === 'freehand') {
    if (!input.points || input.points.length === 0) throw new Error('a freehand stroke needs at least one point');
    if (input.points.length > MAX_FREEHAND_POINTS) throw new Error('too many freehand points');
    freehand = encodeFreehandChunk(input.points as FreehandPoint[]);
  }
  if (input.type === 'image') {
    if (!input.image) throw new Error('an image shape needs its file reference');
    assertValidImageFields(input.image);
  }
  const image = input.type === 'image' ? input.image : undefined;
  board.doc.transact(() => {
    const index = input.index ?? keyBetween(getTopIndex(board), null);
    const y = new Y.Map<unknown>();
    // plain sets: a map not yet in the doc must not be read (yjs warns "Invalid access")
    y.set('id', id);
    y.set('type', input.type);
    y.set('x', input.x);
    y.set('y', input.y);
    y.set('w', input.w);
    y.set('h', input.h);
    y.set('rotation', rotation);
    y.set('index', index);
    y.set('createdBy', input.createdBy);
    y.set('locked', locked);
    for (const key of STYLE_KEYS) y.set(key, style[key]);
    if (linePoints) y.set('points', linePoints);
    if (input.type === 'arrow') {
      y.set('start', input.start ?? null);
      y.set('end', input.end ?? null);
    }
    if (freehand) {
      const chunks = new Y.Array<number[]>();
      chunks.push([freehand]);
      y.set('points', chunks);
    }
    if (input.type === 'text') y.set('text', input.text ?? '');
    if (input.type === 'note') {
      y.set('color', input.color ?? DEFAULT_NOTE_COLOR);
      const content = new Y.XmlFragment();
      if (input.text) {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText(input.text)]);
        content.insert(0, [paragraph]);
      }
      y.set('content', content);
    }
    if (image) {
      for (const key of IMAGE_KEYS) y.set(key, image[key]);
    }
    board.shapes.set(id, y);
  }, origin);
  return id;
}

/** Sets the given fields only (unchanged values are not rewritten, so they don't win conflicts needlessly). */
export function updateShape(board: Board, id: ShapeId, patch: ShapePatch, origin: Origin = LOCAL): boolean {
  assertValidPatch(patch);
  const y = board.shapes.get(id);
  if (!y) return false;
  const type = y.get('type');
  board.doc.transact(() => {
    for (const key of ['x', 'y', 'w', 'h', 'rotation', 'index', 'locked'] as const) {
      const value = patch[key];
      if (value !== undefined && y.get(key) !== value) y.set(key, value);
    }
    if (patch.style) {
      for (const key of STYLE_KEYS) {
        const value = patch.style[key];
        if (value !== undefined && y.get(key) !== value) y.set(key, value);
      }
    }
    if (patch.text !== undefined && type === 'text' && y.get('text') !== patch.text) y.set('text', patch.text);
    if (patch.color !== undefined && type === 'note' && y.get('color') !== patch.color) y.set('color', patch.color);
  }, origin);
  return true;
}

/** Applies several patches in one transaction (one undo step): resize/rotate of a multi-selection. */
export function updateShapes(board: Board, patches: ReadonlyMap<ShapeId, ShapePatch>, origin: Origin = LOCAL): void {
  for (const patch of patches.values()) assertValidPatch(patch);
  board.doc.transact(() => {
    for (const [id, patch] of patches) updateShape(board, id, patch, origin);
  }, origin);
}

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

/**
 * Deletes shapes. Arrows bound to a deleted shape (and not deleted themselves) are unbound and keep
 * the end where it was drawn last, in the same transaction, so undo restores both together.
 */
export function deleteShapes(board: Board, ids: Iterable<ShapeId>, origin: Origin = LOCAL): void {
  const gone = new Set<string>(ids);
  board.doc.transact(() => {
    board.shapes.forEach((y, id) => {
      if (gone.has(id) || y.get('type') !== 'arrow') return;
      for (const key of ['start', 'end'] as const) {
        const b = y.get(key);
        if (isArrowBinding(b) && gone.has(b.shapeId)) freezeArrowEnd(board, id as ShapeId, key);
      }
    });
    for (const id of gone) board.shapes.delete(id);
  }, origin);
}

/** The note's rich-text fragment (Tiptap binds to it), or null if the id is not a valid note. */
export function getNoteFragment(board: Board, id: ShapeId | string): Y.XmlFragment | null {
  const y = board.shapes.get(id);
  if (!y || y.get('type') !== 'note') return null;
  const content = y.get('content');
  return content instanceof Y.XmlFragment ? content : null;
}

/** Copies shapes (offset by `delta`) above everything, in their relative order; returns the new ids. */
export function duplicateShapes(board: Board, ids: Iterable<ShapeId>, delta: Vec, origin: Origin = LOCAL): ShapeId[] {
  const sources = [...new Set<string>(ids)]
    .map((id) => getShape(board, id))
    .filter((s) => s !== null)
    .sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0));
  const newIds = new Map<string, ShapeId>(sources.map((s) => [s.id, newShapeId()]));
  board.doc.transact(() => {
    let top = getTopIndex(board);
    for (const src of sources) {
      top = keyBetween(top, null);
      const from = board.shapes.get(src.id)!;
      const y = new Y.Map<unknown>();
      from.forEach((value, key) => {
        if (value instanceof Y.Array) {
          const copy = new Y.Array<unknown>();
          copy.push(value.toArray().map((chunk) => (Array.isArray(chunk) ? [...chunk] : chunk)));
          y.set(key, copy);
        } else if (value instanceof Y.XmlFragment) {
          y.set(key, value.clone());
        } else if (!(value instanceof Y.AbstractType)) {
          y.set(key, value);
        }
      });
      y.set('id', newIds.get(src.id)!);
      y.set('x', src.x + delta.x);
      y.set('y', src.y + delta.y);
      y.set('index', top);
      y.set('locked', false);
      if (src.type === 'arrow') {
        // keep a binding only when its target was duplicated too
        for (const key of ['start', 'end'] as const) {
          const b = src[key];
          const target = b ? newIds.get(b.shapeId) : undefined;
          y.set(key, b && target ? { shapeId: target, anchor: b.anchor } : null);
        }
      }
      board.shapes.set(newIds.get(src.id)!, y);
    }
  }, origin);
  return [...newIds.values()];
}
