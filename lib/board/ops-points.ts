/** Operations on point lists: line/arrow geometry and bindings, and appending to freehand strokes. */
import * as Y from 'yjs';
import { boxFromPoints, resolveLinePoints } from './shape-geometry';
import { LOCAL, type Board, type Origin } from './board';
import { encodeFreehandChunk, encodeLinePoints } from './ops-encode';
import { getShape } from './read';
import { assertValidPatch, isArrowBinding, MAX_FREEHAND_POINTS, type ArrowBinding, type FreehandPoint, type ShapeId, type Vec } from './schema';

function writeLineGeometry(y: Y.Map<unknown>, boardPoints: readonly Vec[]): void {
  const { x, y: top, w, h, points } = boxFromPoints(boardPoints);
  assertValidPatch({ x, y: top, w, h });
  y.set('x', x);
  y.set('y', top);
  y.set('w', w);
  y.set('h', h);
  y.set('rotation', 0);
  y.set('points', encodeLinePoints(points));
}

/**
 * Rewrites a line's or arrow's points from board coordinates (box and rotation follow), and for an
 * arrow sets the given end bindings (undefined = leave as is, null = unbind).
 */
export function setLinePoints(
  board: Board,
  id: ShapeId,
  boardPoints: readonly Vec[],
  bindings: { start?: ArrowBinding | null; end?: ArrowBinding | null } = {},
  origin: Origin = LOCAL,
): boolean {
  const y = board.shapes.get(id);
  const type = y?.get('type');
  if (!y || (type !== 'line' && type !== 'arrow')) return false;
  encodeLinePoints(boardPoints); // validate before writing
  for (const key of ['start', 'end'] as const) {
    const b = bindings[key];
    if (b != null && !isArrowBinding(b)) throw new Error(`invalid arrow ${key} binding`);
  }
  board.doc.transact(() => {
    writeLineGeometry(y, boardPoints);
    if (type === 'arrow') {
      for (const key of ['start', 'end'] as const) {
        const b = bindings[key];
        if (b !== undefined && JSON.stringify(y.get(key) ?? null) !== JSON.stringify(b)) y.set(key, b);
      }
    }
  }, origin);
  return true;
}

/** Unbinds one arrow end, keeping it where it is drawn now (its target is being deleted). */
export function freezeArrowEnd(board: Board, arrowId: ShapeId, end: 'start' | 'end', origin: Origin = LOCAL): void {
  const arrow = getShape(board, arrowId);
  const y = board.shapes.get(arrowId);
  if (!arrow || !y || arrow.type !== 'arrow') return;
  const pts = resolveLinePoints(arrow, (id) => getShape(board, id));
  board.doc.transact(() => {
    writeLineGeometry(y, pts);
    y.set(end, null);
  }, origin);
}

/**
 * Appends points (in the stroke's local frame) to a freehand stroke as one new chunk and sets the
 * stroke's box, so a pointer move sends a few bytes, never the whole stroke. Returns false if the
 * stroke is gone or full.
 */
export function appendFreehandPoints(
  board: Board,
  id: ShapeId,
  points: readonly FreehandPoint[],
  box: { x: number; y: number; w: number; h: number },
  origin: Origin = LOCAL,
): boolean {
  const y = board.shapes.get(id);
  const chunks = y?.get('points');
  if (!y || y.get('type') !== 'freehand' || !(chunks instanceof Y.Array)) return false;
  if (points.length === 0) return true;
  assertValidPatch(box);
  let count = 0;
  for (const c of chunks.toArray() as unknown[]) count += Array.isArray(c) ? c.length / 3 : 0;
  if (count + points.length > MAX_FREEHAND_POINTS) return false;
  const chunk = encodeFreehandChunk(points);
  board.doc.transact(() => {
    chunks.push([chunk]);
    for (const key of ['x', 'y', 'w', 'h'] as const) if (y.get(key) !== box[key]) y.set(key, box[key]);
  }, origin);
  return true;
}
