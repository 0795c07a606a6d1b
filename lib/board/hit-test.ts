/**
 * Hit testing of one shape in board coordinates, per shape type. "Topmost under the pointer" and the
 * marquee are the editor's (components/editor/editor.ts topmostAt, shapesIn), over the spatial index.
 */
import { centerOf, distanceToSegment, localToBoard, resolveLinePoints, rotateAround, type ShapeLookup } from './shape-geometry';
import type { Shape } from './schema';

export type Point = { x: number; y: number };

const noLookup: ShapeLookup = () => undefined;

function nearPolyline(points: readonly Point[], p: Point, slack: number): boolean {
  if (points.length === 1) return Math.hypot(p.x - points[0].x, p.y - points[0].y) <= slack;
  for (let i = 1; i < points.length; i++) if (distanceToSegment(p, points[i - 1], points[i]) <= slack) return true;
  return false;
}

/** True if p is on the shape (closed shapes: inside; lines and strokes: near the path). */
export function hitShape(s: Shape, p: Point, tolerance = 0, lookup: ShapeLookup = noLookup): boolean {
  const slack = tolerance + s.style.strokeWidth / 2;
  if (s.type === 'line' || s.type === 'arrow') return nearPolyline(resolveLinePoints(s, lookup), p, slack + 4);
  if (s.type === 'freehand') return nearPolyline(localToBoard(s, s.points), p, slack + 2);
  const q = rotateAround(p, centerOf(s), -s.rotation);
  const dx = q.x - (s.x + s.w / 2);
  const dy = q.y - (s.y + s.h / 2);
  const rx = s.w / 2 + slack;
  const ry = s.h / 2 + slack;
  if (s.type === 'ellipse') return rx > 0 && ry > 0 && (dx * dx) / (rx * rx) + (dy * dy) / (ry * ry) <= 1;
  if (s.type === 'diamond') return rx > 0 && ry > 0 && Math.abs(dx) / rx + Math.abs(dy) / ry <= 1;
  return Math.abs(dx) <= rx && Math.abs(dy) <= ry;
}
