/**
 * Outlines of closed shapes and freehand strokes as drawn, for every renderer. Shapes are
 * immutable objects, so each outline is cached per shape object and recomputed only when the shape
 * itself changed.
 */
import { getStroke } from 'perfect-freehand';
import type { Shape, Vec } from '@/lib/board/schema';
import { centerOf, localToBoard, rotateAround } from '@/lib/board/shape-geometry';

export type GeoOutline =
  | { kind: 'polygon'; points: readonly Vec[] }
  | { kind: 'ellipse'; cx: number; cy: number; rx: number; ry: number; rotation: number };

const geoCache = new WeakMap<Shape, GeoOutline>();

/** The corners of a diamond (its edge midpoints) or of any other box, unrotated, clockwise from the top (left). */
export function polygonCorners(s: Shape): Vec[] {
  const c = centerOf(s);
  return s.type === 'diamond'
    ? [{ x: c.x, y: s.y }, { x: s.x + s.w, y: c.y }, { x: c.x, y: s.y + s.h }, { x: s.x, y: c.y }]
    : [{ x: s.x, y: s.y }, { x: s.x + s.w, y: s.y }, { x: s.x + s.w, y: s.y + s.h }, { x: s.x, y: s.y + s.h }];
}

/**
 * The outline of a rect, diamond or ellipse on the board, rotation applied (a note's card is its
 * rect). Polygons list their corners in drawing order.
 */
export function geoOutline(s: Shape): GeoOutline {
  const cached = geoCache.get(s);
  if (cached) return cached;
  const c = centerOf(s);
  let out: GeoOutline;
  if (s.type === 'ellipse') out = { kind: 'ellipse', cx: c.x, cy: c.y, rx: s.w / 2, ry: s.h / 2, rotation: s.rotation };
  else out = { kind: 'polygon', points: polygonCorners(s).map((q) => rotateAround(q, c, s.rotation)) };
  geoCache.set(s, out);
  return out;
}

/**
 * Shapes drawn in their unrotated box and turned about their centre as a whole (a transform, not
 * rotated points): text, notes and freehand strokes. Geo shapes and lines rotate their points.
 */
export function rotatesAsBlock(s: Shape): boolean {
  return s.rotation !== 0 && (s.type === 'text' || s.type === 'note' || s.type === 'freehand' || s.type === 'image');
}

/** perfect-freehand's settings for a stroke of `strokeWidth`. */
function freehandOptions(strokeWidth: number) {
  return { size: strokeWidth * 2.5 + 2, thinning: 0.6, smoothing: 0.5, streamline: 0.4, simulatePressure: false, last: true };
}

const freehandCache = new WeakMap<Shape, readonly (readonly number[])[]>();

/**
 * A freehand stroke's filled outline polygon ([x, y] pairs) in the shape's unrotated box: the
 * points are stretched onto the box like any point list; rotation is applied as a transform (see
 * rotatesAsBlock). Empty for a stroke perfect-freehand cannot outline.
 */
export function freehandOutline(s: Extract<Shape, { type: 'freehand' }>): readonly (readonly number[])[] {
  const cached = freehandCache.get(s);
  if (cached) return cached;
  const pts = localToBoard({ ...s, rotation: 0 }, s.points).map((p) => [p.x, p.y, p.pressure]);
  const out = getStroke(pts, freehandOptions(s.style.strokeWidth));
  freehandCache.set(s, out);
  return out;
}
