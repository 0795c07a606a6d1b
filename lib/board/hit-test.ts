/** Hit testing in board coordinates, per shape type. Candidates come from the spatial index. */
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

/** Topmost shape under p (shapes ordered bottom to top), with `tolerance` board units of slack. */
export function shapeAt(shapes: readonly Shape[], p: Point, tolerance = 0, lookup: ShapeLookup = noLookup): Shape | null {
  for (let i = shapes.length - 1; i >= 0; i--) if (hitShape(shapes[i], p, tolerance, lookup)) return shapes[i];
  return null;
}

/** Shapes whose box lies fully inside the rectangle (for marquee selection). */
export function shapesInRect(shapes: readonly Shape[], a: Point, b: Point): Shape[] {
  const minX = Math.min(a.x, b.x);
  const maxX = Math.max(a.x, b.x);
  const minY = Math.min(a.y, b.y);
  const maxY = Math.max(a.y, b.y);
  return shapes.filter((s) => s.x >= minX && s.y >= minY && s.x + s.w <= maxX && s.y + s.h <= maxY);
}
