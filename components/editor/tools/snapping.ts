/**
 * Snap candidates for one drag: the edges and centres of shapes near the moving box, gathered
 * through the spatial index (never a scan of the board) for a region around the box, and gathered
 * again only when the box nears that region's edge. Shapes being moved, and arrows bound to them
 * (they move along), are not candidates.
 */
import type { Shape } from '@/lib/board';
import { shapeBounds, type Box } from '@/lib/board/shape-geometry';
import { SnapLines, type SnapResult } from '@/lib/geometry/snap';
import type { Editor } from '../types';

/** Snap distance, in screen pixels. */
const SNAP_PX = 8;
/** How far around the moving box candidates are gathered, in screen pixels. */
const GATHER_PX = 800;

function inside(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
}

function grow(b: Box, by: number): Box {
  return { x: b.x - by, y: b.y - by, w: b.w + 2 * by, h: b.h + 2 * by };
}

/** The box a shape snaps by: its own box when unrotated, else its rotated bounds. */
export function snapBox(s: Shape, editor: Editor): Box {
  if (s.rotation === 0 && s.type !== 'arrow') return { x: s.x, y: s.y, w: s.w, h: s.h };
  return shapeBounds(s, editor.cache.lookup);
}

export class Snapper {
  private lines: SnapLines | null = null;
  private region: Box | null = null;

  constructor(
    private readonly editor: Editor,
    private readonly moving: ReadonlySet<string>,
  ) {}

  private candidate(s: Shape): boolean {
    if (this.moving.has(s.id)) return false;
    if (s.type !== 'arrow') return true;
    return !(s.start && this.moving.has(s.start.shapeId)) && !(s.end && this.moving.has(s.end.shapeId));
  }

  private linesNear(box: Box, zoom: number): SnapLines {
    const margin = GATHER_PX / zoom;
    if (!this.lines || !this.region || !inside(grow(box, margin / 4), this.region)) {
      this.region = grow(box, margin);
      const boxes: Box[] = [];
      for (const s of this.editor.cache.query(this.region)) if (this.candidate(s)) boxes.push(snapBox(s, this.editor));
      this.lines = new SnapLines(boxes);
    }
    return this.lines;
  }

  snapBox(box: Box, zoom: number): SnapResult {
    return this.linesNear(box, zoom).snapBox(box, SNAP_PX / zoom);
  }

  snapPoint(p: { x: number; y: number }, zoom: number, axes: { x: boolean; y: boolean }): SnapResult {
    return this.linesNear({ x: p.x, y: p.y, w: 0, h: 0 }, zoom).snapPoint(p, SNAP_PX / zoom, axes);
  }
}
