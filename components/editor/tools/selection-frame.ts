/** What the selection looks like to the transform tools: its frame, and a lone line's end handles. */
import type { Shape } from '@/lib/board';
import { resolveLinePoints } from '@/lib/board/shape-geometry';
import { HANDLES, handlePoint, rotateHandlePoint, type Frame, type Handle } from '@/lib/geometry/transform';
import { boardToScreen, type Camera, type Point } from '@/lib/ui/camera';
import type { Editor } from '../types';

/** A bound arrow's drawn ends come from its targets, so its stored box is not where it is drawn. */
export function isBoundArrow(s: Shape): boolean {
  return s.type === 'arrow' && (s.start !== null || s.end !== null);
}

/** Which shapes the selection frame wraps: one shape's own box, or the union for several. */
export function selectionFrame(editor: Editor): Frame | null {
  const shapes = editor.selectedShapes();
  if (shapes.length === 1 && !isBoundArrow(shapes[0])) {
    const s = shapes[0];
    return { x: s.x, y: s.y, w: s.w, h: s.h, rotation: s.rotation };
  }
  const box = editor.boundsOf(shapes);
  return box ? { ...box, rotation: 0 } : null;
}

/** The one selected (unlocked) line or arrow, whose ends can be dragged; null otherwise. */
export function editedLine(editor: Editor): Extract<Shape, { type: 'line' | 'arrow' }> | null {
  const ids = editor.editableSelection();
  const s = ids.length === 1 ? editor.cache.get(ids[0]) : undefined;
  return s && (s.type === 'line' || s.type === 'arrow') ? s : null;
}

/** Whether the selection shows resize/rotate handles (a lone line or arrow gets point handles instead). */
export function canTransform(editor: Editor): boolean {
  const ids = editor.editableSelection();
  return ids.length > 1 || (ids.length === 1 && editedLine(editor) === null);
}

/** Board positions of the edited line's or arrow's points (first and last are its ends). */
export function linePoints(editor: Editor): Point[] | null {
  const line = editedLine(editor);
  return line ? resolveLinePoints(line, editor.cache.lookup) : null;
}

/** Where a line's bend handles sit: the middle of each segment. */
export function segmentMiddles(pts: readonly Point[]): Point[] {
  return pts.slice(1).map((p, i) => ({ x: (pts[i].x + p.x) / 2, y: (pts[i].y + p.y) / 2 }));
}

const HANDLE_RADIUS_PX = 9;
/** Must match the overlay's rotate handle (selection-overlay.tsx). */
const ROTATE_OFFSET_PX = 24;

/** A handle under the pointer: resize, rotate, or a line's point (`bend`: a segment's middle). */
export type HandleHit = Handle | 'rotate' | { point: number; bend: boolean };

/** The selection's handle under a screen point, if any. */
export function handleAt(editor: Editor, camera: Camera, screen: Point): HandleHit | null {
  const near = (p: Point) => {
    const q = boardToScreen(camera, p);
    return Math.hypot(q.x - screen.x, q.y - screen.y) <= HANDLE_RADIUS_PX;
  };
  const pts = linePoints(editor);
  if (pts) {
    const last = pts.length - 1;
    // the end wins a tie with the start (a short line), then the start, interior points, bends
    const order = [last, ...pts.keys()].filter((i, k) => k === 0 || i !== last);
    const point = order.find((i) => near(pts[i]));
    if (point !== undefined) return { point, bend: false };
    const mid = segmentMiddles(pts).findIndex(near);
    return mid >= 0 ? { point: mid + 1, bend: true } : null;
  }
  const frame = selectionFrame(editor);
  if (!frame || !canTransform(editor)) return null;
  if (near(rotateHandlePoint(frame, ROTATE_OFFSET_PX / camera.zoom))) return 'rotate';
  return HANDLES.find((h) => near(handlePoint(frame, h))) ?? null;
}
