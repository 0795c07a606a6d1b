/**
 * Pure geometry of stored shapes: where a shape's points are on the board, where a bound arrow end
 * is, and a shape's axis-aligned bounds. Arrow ends bound to a shape are derived here at read time
 * from the binding and the target's current box, so a peer moving the target updates the arrow on
 * every screen without anyone writing to the arrow.
 */
import type { ArrowBinding, Shape, Vec } from '@/lib/board/schema';

export type Box = { x: number; y: number; w: number; h: number };
export type ShapeLookup = (id: string) => Shape | undefined | null;

export function rotateAround(p: Vec, c: Vec, angle: number): Vec {
  if (angle === 0) return p;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const dx = p.x - c.x;
  const dy = p.y - c.y;
  return { x: c.x + dx * cos - dy * sin, y: c.y + dx * sin + dy * cos };
}

export function centerOf(b: Box): Vec {
  return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
}

/** The bounding box of a point list (w/h 0 for a single point). */
export function pointsBox(points: readonly Vec[]): Box {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    if (p.x < minX) minX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.x > maxX) maxX = p.x;
    if (p.y > maxY) maxY = p.y;
  }
  if (minX === Infinity) return { x: 0, y: 0, w: 0, h: 0 };
  return { x: minX, y: minY, w: maxX - minX, h: maxY - minY };
}

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

export function boxesIntersect(a: Box, b: Box): boolean {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
}

/** Distance from p to the segment ab. */
export function distanceToSegment(p: Vec, a: Vec, b: Vec): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}
