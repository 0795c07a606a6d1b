/**
 * Pure geometry of stored shapes (lib/geometry holds the shape-agnostic part): where a shape's
 * points are on the board, where a bound arrow end is, and a shape's axis-aligned bounds. Arrow ends bound to a shape are derived here at read time
 * from the binding and the target's current box, so a peer moving the target updates the arrow on
 * every screen without anyone writing to the arrow.
 */
import { centerOf, pointsBox, type Box } from '@/lib/geometry/box';
import { rotateAround, type Vec } from '@/lib/geometry/vec';
import type { ArrowBinding, Shape } from './schema';

// the generic helpers, for callers that also need shape geometry
export { boxesIntersect, centerOf, pointsBox, type Box } from '@/lib/geometry/box';
export { distanceToSegment, rotateAround } from '@/lib/geometry/vec';
export type ShapeLookup = (id: string) => Shape | undefined | null;

/**
 * Maps a shape's local point list onto the board: the points' bounding box is stretched onto the
 * shape's box (a flat axis keeps scale 1), then turned by the shape's rotation.
 */
export function localToBoard<P extends Vec>(shape: Box & { rotation: number }, points: readonly P[]): P[] {
  const local = pointsBox(points);
  const sx = local.w > 0 ? shape.w / local.w : 1;
  const sy = local.h > 0 ? shape.h / local.h : 1;
  const c = centerOf(shape);
  return points.map((p) => {
    const q = rotateAround({ x: shape.x + (p.x - local.x) * sx, y: shape.y + (p.y - local.y) * sy }, c, shape.rotation);
    return { ...p, x: q.x, y: q.y };
  });
}

/** A board point at a normalised anchor of the target's (rotated) box. */
export function anchorPoint(target: Box & { rotation: number }, anchor: Vec): Vec {
  return rotateAround({ x: target.x + anchor.x * target.w, y: target.y + anchor.y * target.h }, centerOf(target), target.rotation);
}

/** The normalised anchor (clamped to 0..1) of a board point on the target's box. */
export function anchorFor(target: Box & { rotation: number }, p: Vec): Vec {
  const q = rotateAround(p, centerOf(target), -target.rotation);
  const clamp = (v: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0.5);
  return { x: clamp(target.w > 0 ? (q.x - target.x) / target.w : 0.5), y: clamp(target.h > 0 ? (q.y - target.y) / target.h : 0.5) };
}

function boundEnd(binding: ArrowBinding | null, lookup: ShapeLookup, selfId: string): Vec | null {
  if (!binding || binding.shapeId === selfId) return null;
  const target = lookup(binding.shapeId);
  return target ? anchorPoint(target, binding.anchor) : null; // target deleted: render unbound
}

/** Board points of a line or arrow, with bound arrow ends following their targets. */
export function resolveLinePoints(shape: Shape, lookup: ShapeLookup): Vec[] {
  if (shape.type !== 'line' && shape.type !== 'arrow') return [];
  const pts = localToBoard(shape, shape.points);
  if (shape.type === 'arrow') {
    const s = boundEnd(shape.start, lookup, shape.id);
    const e = boundEnd(shape.end, lookup, shape.id);
    if (s) pts[0] = s;
    if (e) pts[pts.length - 1] = e;
  }
  return pts;
}

/** A new box + local points for a list of board points (used when a line's ends are rewritten). */
export function boxFromPoints(points: readonly Vec[]): Box & { points: Vec[] } {
  const b = pointsBox(points);
  return { ...b, points: points.map((p) => ({ x: p.x - b.x, y: p.y - b.y })) };
}

/** Axis-aligned bounds on the board, including rotation, bound arrow ends and half the stroke. */
export function shapeBounds(shape: Shape, lookup: ShapeLookup): Box {
  let box: Box;
  if (shape.type === 'arrow' && (shape.start || shape.end)) {
    box = pointsBox(resolveLinePoints(shape, lookup));
  } else if (shape.rotation !== 0) {
    const c = centerOf(shape);
    box = pointsBox(
      [
        { x: shape.x, y: shape.y },
        { x: shape.x + shape.w, y: shape.y },
        { x: shape.x, y: shape.y + shape.h },
        { x: shape.x + shape.w, y: shape.y + shape.h },
      ].map((p) => rotateAround(p, c, shape.rotation)),
    );
  } else box = { x: shape.x, y: shape.y, w: shape.w, h: shape.h };
  const m = shape.style.strokeWidth / 2 + (shape.type === 'arrow' ? 12 : 1);
  return { x: box.x - m, y: box.y - m, w: box.w + 2 * m, h: box.h + 2 * m };
}
