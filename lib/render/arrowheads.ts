/**
 * Geometry of lines and arrows as drawn, for every renderer: the points of the path (bound arrow
 * ends clipped at their target's outline) and the arrowhead. The canvas and the SVG export both
 * call `linePath` / `arrowHead`, so an exported arrow stops where the on-screen one does.
 */
import { hitShape } from '@/lib/board/hit-test';
import type { Shape, Vec } from '@/lib/board/schema';
import { resolveLinePoints, type ShapeLookup } from '@/lib/board/shape-geometry';

/** Board units left between a clipped arrow end and its target's outline, so the head stays visible. */
export const ARROW_GAP = 4;
/** Half the angle between the arrowhead's two strokes (radians). */
export const ARROW_HEAD_ANGLE = 0.45;

export function arrowHeadLength(strokeWidth: number): number {
  return Math.max(10, strokeWidth * 5);
}

/** The arrowhead at `to` for a segment coming from `from`: [one wing, the tip, the other wing]. */
export function arrowHead(from: Vec, to: Vec, strokeWidth: number): [Vec, Vec, Vec] {
  const angle = Math.atan2(to.y - from.y, to.x - from.x);
  const len = arrowHeadLength(strokeWidth);
  return [
    { x: to.x - len * Math.cos(angle - ARROW_HEAD_ANGLE), y: to.y - len * Math.sin(angle - ARROW_HEAD_ANGLE) },
    to,
    { x: to.x - len * Math.cos(angle + ARROW_HEAD_ANGLE), y: to.y - len * Math.sin(angle + ARROW_HEAD_ANGLE) },
  ];
}

/**
 * Where the segment from `outside` to `inside` crosses the target's outline (bisection on the hit
 * test works for every shape type), pulled back by ARROW_GAP.
 */
function edgePoint(target: Shape, outside: Vec, inside: Vec, lookup: ShapeLookup): Vec {
  if (hitShape(target, outside, 0, lookup) || !hitShape(target, inside, 0, lookup)) return inside;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 24; i++) {
    const mid = (lo + hi) / 2;
    if (hitShape(target, { x: outside.x + (inside.x - outside.x) * mid, y: outside.y + (inside.y - outside.y) * mid }, 0, lookup)) hi = mid;
    else lo = mid;
  }
  const len = Math.hypot(inside.x - outside.x, inside.y - outside.y);
  const t = Math.max(0, lo - (len > 0 ? ARROW_GAP / len : 0));
  return { x: outside.x + (inside.x - outside.x) * t, y: outside.y + (inside.y - outside.y) * t };
}

function targetOf(binding: { shapeId: string } | null, selfId: string, lookup: ShapeLookup): Shape | null {
  return binding && binding.shapeId !== selfId ? (lookup(binding.shapeId) ?? null) : null;
}

type Cached = { start: Shape | null; end: Shape | null; points: readonly Vec[] };
// Shapes are immutable objects: a line's path changes only with the line, a bound arrow's also
// with its targets, so the cache entry holds the targets it was computed from.
const pathCache = new WeakMap<Shape, Cached>();

/**
 * Board points of a line or arrow as drawn: bound arrow ends follow their targets and stop at the
 * target's outline instead of its anchor inside. Cached; do not mutate the result.
 */
export function linePath(s: Shape, lookup: ShapeLookup): readonly Vec[] {
  if (s.type !== 'line' && s.type !== 'arrow') return [];
  const start = s.type === 'arrow' ? targetOf(s.start, s.id, lookup) : null;
  const end = s.type === 'arrow' ? targetOf(s.end, s.id, lookup) : null;
  const hit = pathCache.get(s);
  if (hit && hit.start === start && hit.end === end) return hit.points;
  const pts = resolveLinePoints(s, lookup);
  if (pts.length >= 2) {
    const last = pts.length - 1;
    const rawEnd = pts[last];
    if (end) pts[last] = edgePoint(end, pts[last - 1], rawEnd, lookup);
    if (start) pts[0] = edgePoint(start, last === 1 ? rawEnd : pts[1], pts[0], lookup);
  }
  // a target that is itself a line follows its own targets: its path is not a function of the
  // objects compared above, so such arrows are recomputed every time
  const stable = (!start || (start.type !== 'line' && start.type !== 'arrow')) && (!end || (end.type !== 'line' && end.type !== 'arrow'));
  if (stable) pathCache.set(s, { start, end, points: pts });
  return pts;
}

/** The arrowhead of an arrow's drawn path, or null (a line, or fewer than two points). */
export function arrowHeadOf(s: Shape, path: readonly Vec[]): [Vec, Vec, Vec] | null {
  if (s.type !== 'arrow' || path.length < 2) return null;
  return arrowHead(path[path.length - 2], path[path.length - 1], s.style.strokeWidth);
}
