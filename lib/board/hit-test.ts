/** Hit testing in board coordinates. Linear scans for now; a spatial index comes with 10k shapes. */
import type { Shape } from './schema';

export type Point = { x: number; y: number };

/** Unrotates p around the shape's centre, so the test is against the axis-aligned box. */
function toLocal(shape: Shape, p: Point): Point {
  if (shape.rotation === 0) return p;
  const cx = shape.x + shape.w / 2;
  const cy = shape.y + shape.h / 2;
  const cos = Math.cos(-shape.rotation);
  const sin = Math.sin(-shape.rotation);
  const dx = p.x - cx;
  const dy = p.y - cy;
  return { x: cx + dx * cos - dy * sin, y: cy + dx * sin + dy * cos };
}

/** Topmost shape under p (shapes ordered bottom to top), with `tolerance` board units of slack. */
export function shapeAt(shapes: readonly Shape[], p: Point, tolerance = 0): Shape | null {
  for (let i = shapes.length - 1; i >= 0; i--) {
    const s = shapes[i];
    const q = toLocal(s, p);
    if (q.x >= s.x - tolerance && q.x <= s.x + s.w + tolerance && q.y >= s.y - tolerance && q.y <= s.y + s.h + tolerance) {
      return s;
    }
  }
  return null;
}

/** Shapes whose bounding box lies fully inside the rectangle (for marquee selection). */
export function shapesInRect(shapes: readonly Shape[], a: Point, b: Point): Shape[] {
  const minX = Math.min(a.x, b.x);
  const maxX = Math.max(a.x, b.x);
  const minY = Math.min(a.y, b.y);
  const maxY = Math.max(a.y, b.y);
  return shapes.filter((s) => s.x >= minX && s.y >= minY && s.x + s.w <= maxX && s.y + s.h <= maxY);
}
