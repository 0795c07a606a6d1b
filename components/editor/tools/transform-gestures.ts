/**
 * The select tool's drag gestures, as functions of the gesture's state: translate (with snapping),
 * resize (with snapping of the dragged edges), rotate, and dragging a line's point (an end, which
 * may re-bind an arrow; an interior point; or a segment's middle, which inserts a bend).
 */
import { moveShapes, setLinePoints, updateShapes, type Shape, type ShapeId, type ShapePatch } from '@/lib/board';
import { MAX_FONT_SIZE, MIN_FONT_SIZE } from '@/lib/board/schema';
import type { Box } from '@/lib/board/shape-geometry';
import { centerOf, resolveLinePoints, rotateAround } from '@/lib/board/shape-geometry';
import type { Guide } from '@/lib/geometry/snap';
import { mapBox, normalizeAngle, resizeFrame, rotationDelta, type Frame, type Handle } from '@/lib/geometry/transform';
import type { Point } from '@/lib/ui/camera';
import { bindingAt, constrainAngle } from './creating';
import type { Editor } from '../types';
import type { Snapper } from './snapping';

type Drag = { pointerId: number; pending: Point; shift: boolean; noSnap: boolean };
export type Translating = Drag & { kind: 'translating'; start: Point; applied: Point; ids: ShapeId[]; box: Box | null; snapper: Snapper };
export type Resizing = Drag & { kind: 'resizing'; handle: Handle; frame: Frame; shapes: Shape[]; snapper: Snapper };
export type Rotating = Drag & { kind: 'rotating'; frame: Frame; start: Point; shapes: Shape[] };
/** `index` is the point being dragged; a `bend` inserts a new point after index - 1 on the first move. */
export type PointDrag = Drag & { kind: 'point'; id: ShapeId; index: number; bend: boolean };

/** Applies the translation's latest position; returns the snap guides to draw. */
export function flushTranslate(editor: Editor, s: Translating, zoom: number): Guide[] {
  let target = s.pending;
  if (s.shift) {
    // constrain to the dominant axis of the whole drag
    const dx = s.pending.x - s.start.x;
    const dy = s.pending.y - s.start.y;
    target = Math.abs(dx) > Math.abs(dy) ? { x: s.pending.x, y: s.start.y } : { x: s.start.x, y: s.pending.y };
  }
  let guides: Guide[] = [];
  if (s.box && !s.noSnap) {
    const moved = { ...s.box, x: s.box.x + target.x - s.start.x, y: s.box.y + target.y - s.start.y };
    const snap = s.snapper.snapBox(moved, zoom);
    // a shift-constrained drag only snaps along its free axis
    const free = { x: !s.shift || target.y === s.start.y, y: !s.shift || target.x === s.start.x };
    target = { x: target.x + (free.x ? snap.dx : 0), y: target.y + (free.y ? snap.dy : 0) };
    guides = snap.guides.filter((g) => free[g.axis]);
  }
  const delta = { x: target.x - s.applied.x, y: target.y - s.applied.y };
  if (delta.x !== 0 || delta.y !== 0) {
    moveShapes(editor.board, s.ids, delta);
    s.applied = target;
  }
  return guides;
}

/** Applies the resize; an unrotated frame's dragged edges snap to other shapes. Returns the guides. */
export function flushResize(editor: Editor, s: Resizing, zoom: number): Guide[] {
  let p = s.pending;
  let guides: Guide[] = [];
  if (!s.noSnap && s.frame.rotation === 0) {
    const axes = { x: s.handle.includes('e') || s.handle.includes('w'), y: s.handle.includes('n') || s.handle.includes('s') };
    const snap = s.snapper.snapPoint(p, zoom, axes);
    p = { x: p.x + snap.dx, y: p.y + snap.dy };
    guides = snap.guides;
  }
  // images keep their aspect ratio unless shift frees it (the reverse of other shapes)
  const images = s.shapes.length > 0 && s.shapes.every((shape) => shape.type === 'image');
  const next = resizeFrame(s.frame, s.handle, p, images ? !s.shift : s.shift);
  const patches = new Map<ShapeId, ShapePatch>();
  if (s.shapes.length === 1 && s.frame.rotation === next.rotation) {
    const shape = s.shapes[0];
    const patch: ShapePatch = { x: next.x, y: next.y, w: next.w, h: next.h };
    if (shape.type === 'text' && s.frame.h > 0) {
      // text scales its font; its box follows the measured text
      const fontSize = Math.round(Math.min(MAX_FONT_SIZE, Math.max(MIN_FONT_SIZE, (shape.style.fontSize * next.h) / s.frame.h)));
      Object.assign(patch, { style: { fontSize }, ...editor.measureText(shape.text, fontSize) });
    }
    patches.set(shape.id, patch);
  } else for (const shape of s.shapes) patches.set(shape.id, mapBox(shape, s.frame, next));
  updateShapes(editor.board, patches);
  return guides;
}

export function flushRotate(editor: Editor, s: Rotating): void {
  const center = centerOf(s.frame);
  const delta = rotationDelta(center, s.start, s.pending, s.shift);
  const patches = new Map<ShapeId, ShapePatch>();
  for (const shape of s.shapes) {
    const c = rotateAround(centerOf(shape), center, delta);
    patches.set(shape.id, { x: c.x - shape.w / 2, y: c.y - shape.h / 2, rotation: normalizeAngle(shape.rotation + delta) });
  }
  updateShapes(editor.board, patches);
}

/**
 * Moves one point of a line or arrow. An arrow end dropped on a shape binds to it (the other end
 * keeps its binding); shift constrains an end to 45-degree steps from its neighbour.
 */
export function flushPoint(editor: Editor, s: PointDrag, tolerance: number): void {
  const line = editor.cache.get(s.id);
  if (!line || (line.type !== 'line' && line.type !== 'arrow')) return; // deleted by a peer mid-drag
  const pts = resolveLinePoints(line, editor.cache.lookup);
  if (s.bend) {
    pts.splice(s.index, 0, s.pending);
    s.bend = false; // inserted once; later frames move it
  }
  if (s.index < 0 || s.index >= pts.length) return; // a peer removed points mid-drag
  const last = pts.length - 1;
  const isEnd = s.index === 0 || s.index === last;
  const neighbour = s.index === 0 ? pts[1] : pts[s.index - 1];
  pts[s.index] = s.shift && isEnd ? constrainAngle(neighbour, s.pending) : s.pending;
  const which = s.index === 0 ? 'start' : s.index === last ? 'end' : null;
  const binding = which && line.type === 'arrow' ? bindingAt(editor, pts[s.index], tolerance, line.id) : undefined;
  setLinePoints(editor.board, line.id, pts, which && binding !== undefined ? { [which]: binding } : {});
}
