/** Encoding of point lists for storage (see the layout in schema.ts). Throws on bad local input. */
import { FREEHAND_SCALE, isCoord, MAX_LINE_POINTS, type FreehandPoint, type Vec } from './schema';

/** Flat [x, y, …] for line and arrow points; throws on bad input (a local bug). */
export function encodeLinePoints(points: readonly Vec[]): number[] {
  if (points.length < 2 || points.length > MAX_LINE_POINTS) throw new Error(`a line needs 2..${MAX_LINE_POINTS} points`);
  const out: number[] = [];
  for (const p of points) {
    if (!isCoord(p.x) || !isCoord(p.y)) throw new Error(`invalid point: ${JSON.stringify(p)}`);
    out.push(p.x, p.y);
  }
  return out;
}

/** One freehand chunk: quantised integers, which lib0 encodes as short varints. */
export function encodeFreehandChunk(points: readonly FreehandPoint[]): number[] {
  const out: number[] = [];
  for (const p of points) {
    if (!isCoord(p.x) || !isCoord(p.y)) throw new Error(`invalid point: ${JSON.stringify(p)}`);
    const pressure = Number.isFinite(p.pressure) ? Math.min(1, Math.max(0, p.pressure)) : 0.5;
    out.push(Math.round(p.x * FREEHAND_SCALE), Math.round(p.y * FREEHAND_SCALE), Math.round(pressure * 100));
  }
  return out;
}

