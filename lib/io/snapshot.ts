/**
 * Shapes as self-contained JSON for copy and export: arrows carry their resolved points (a binding
 * to a shape outside the set is dropped on insert, and the end must stay where it was drawn), and
 * notes carry their rich content tree.
 */
import { getNoteTree, type Board, type Shape, type ShapeInput } from '@/lib/board';
import { boxFromPoints, resolveLinePoints, type ShapeLookup } from '@/lib/geometry/shape-geometry';

export function snapshotShapes(board: Board, shapes: readonly Shape[], lookup: ShapeLookup): ShapeInput[] {
  return shapes.map((s): ShapeInput => {
    if (s.type === 'arrow' && (s.start || s.end)) {
      const { x, y, w, h, points } = boxFromPoints(resolveLinePoints(s, lookup));
      return { ...s, x, y, w, h, rotation: 0, points };
    }
    if (s.type === 'note') return { ...s, content: getNoteTree(board, s.id) ?? undefined };
    return { ...s };
  });
}

/** Union box of shapes (unrotated boxes; enough for offsets and placement). */
export function shapesBox(shapes: readonly { x: number; y: number; w: number; h: number }[]): { x: number; y: number; w: number; h: number } | null {
  if (shapes.length === 0) return null;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const s of shapes) {
    x0 = Math.min(x0, s.x);
    y0 = Math.min(y0, s.y);
    x1 = Math.max(x1, s.x + s.w);
    y1 = Math.max(y1, s.y + s.h);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
