/**
 * Snapping a moving box (or a dragged point) to other shapes' edges and centres. The candidate lines
 * are sorted once per gather, so each pointer move is a binary search per moving edge, never a scan.
 * A guide is the line a snap used, drawn across both the source shape and the moving box.
 */
import type { Box } from './box';

export type Guide = { axis: 'x' | 'y'; at: number; from: number; to: number };

/** A candidate line: `at` on its axis, spanning lo..hi on the other axis. */
type Line = { at: number; lo: number; hi: number };

type Hit = { offset: number; line: Line };

function lowerBound(lines: readonly Line[], v: number): number {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid].at < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The closest line to any of `values`, within `threshold`. */
function nearest(lines: readonly Line[], values: readonly number[], threshold: number): Hit | null {
  let best: Hit | null = null;
  for (const v of values) {
    const i = lowerBound(lines, v);
    for (const line of [lines[i - 1], lines[i]]) {
      if (!line) continue;
      const offset = line.at - v;
      if (Math.abs(offset) <= threshold && (!best || Math.abs(offset) < Math.abs(best.offset))) best = { offset, line };
    }
  }
  return best;
}

export type SnapResult = { dx: number; dy: number; guides: Guide[] };

export class SnapLines {
  private readonly xs: Line[] = [];
  private readonly ys: Line[] = [];

  constructor(boxes: Iterable<Box>) {
    for (const b of boxes) {
      for (const x of [b.x, b.x + b.w / 2, b.x + b.w]) this.xs.push({ at: x, lo: b.y, hi: b.y + b.h });
      for (const y of [b.y, b.y + b.h / 2, b.y + b.h]) this.ys.push({ at: y, lo: b.x, hi: b.x + b.w });
    }
    this.xs.sort((a, b) => a.at - b.at);
    this.ys.sort((a, b) => a.at - b.at);
  }

  get size(): number {
    return this.xs.length / 3;
  }

  /** Offsets that put the box's nearest edge or centre on a line, per axis, with their guides. */
  snapBox(box: Box, threshold: number): SnapResult {
    const hx = nearest(this.xs, [box.x, box.x + box.w / 2, box.x + box.w], threshold);
    const hy = nearest(this.ys, [box.y, box.y + box.h / 2, box.y + box.h], threshold);
    const dx = hx?.offset ?? 0;
    const dy = hy?.offset ?? 0;
    const guides: Guide[] = [];
    if (hx) guides.push({ axis: 'x', at: hx.line.at, from: Math.min(hx.line.lo, box.y + dy), to: Math.max(hx.line.hi, box.y + dy + box.h) });
    if (hy) guides.push({ axis: 'y', at: hy.line.at, from: Math.min(hy.line.lo, box.x + dx), to: Math.max(hy.line.hi, box.x + dx + box.w) });
    return { dx, dy, guides };
  }

  /** Snaps a point on the given axes (a resize handle moves one or two edges). */
  snapPoint(p: { x: number; y: number }, threshold: number, axes: { x: boolean; y: boolean }): SnapResult {
    const hx = axes.x ? nearest(this.xs, [p.x], threshold) : null;
    const hy = axes.y ? nearest(this.ys, [p.y], threshold) : null;
    const dx = hx?.offset ?? 0;
    const dy = hy?.offset ?? 0;
    const guides: Guide[] = [];
    if (hx) guides.push({ axis: 'x', at: hx.line.at, from: Math.min(hx.line.lo, p.y + dy), to: Math.max(hx.line.hi, p.y + dy) });
    if (hy) guides.push({ axis: 'y', at: hy.line.at, from: Math.min(hy.line.lo, p.x + dx), to: Math.max(hy.line.hi, p.x + dx) });
    return { dx, dy, guides };
  }
}
