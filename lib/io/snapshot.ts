/**
 * Shapes as self-contained JSON for copy and export: arrows carry their resolved points (a binding
 * to a shape outside the set is dropped on insert, and the end must stay where it was drawn), and
 * notes carry their rich content tree.
 */
import { getNoteTree, type Board, type Shape, type ShapeInput } from '@/lib/board';
import { unionBoxes, type Box } from '@/lib/geometry/box';
import { boxFromPoints, resolveLinePoints, type ShapeLookup } from '@/lib/board/shape-geometry';

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
export function shapesBox(shapes: readonly Box[]): Box | null {
  return unionBoxes(shapes);
}
