/**
 * Smooth playback of a followed peer's viewport, the way CursorTrack smooths a cursor: the view's
 * centre and its size (board units, so a zoom is a size change) are replayed about one send
 * interval late along splines through the received views, and settle exactly on the last one. A
 * jump to a far part of the board, or a zoom by a large factor, snaps instead: gliding across a
 * huge board at 10 Hz would show a blur of unrelated content.
 */
import type { Viewport } from './awareness';
import { CursorTrack } from './interpolation';

/** A move farther than this many view widths (or heights) snaps. */
const SNAP_VIEWS = 3;
/** A zoom by more than this factor snaps. */
const SNAP_ZOOM = 8;

export function isFarJump(from: Viewport, to: Viewport): boolean {
  const dx = Math.abs(from.x + from.w / 2 - (to.x + to.w / 2));
  const dy = Math.abs(from.y + from.h / 2 - (to.y + to.h / 2));
  const ratio = Math.max(to.w / from.w, from.w / to.w);
  return dx > SNAP_VIEWS * Math.max(from.w, to.w) || dy > SNAP_VIEWS * Math.max(from.h, to.h) || ratio > SNAP_ZOOM;
}

export class ViewTrack {
  // distances are handled here (relative to the view), so the tracks never snap on their own
  private readonly centre = new CursorTrack({ snapDistance: Infinity });
  private readonly size = new CursorTrack({ snapDistance: Infinity });
  private last: Viewport | null = null;

  /** The last received view, or null before the first. */
  get received(): Viewport | null {
    return this.last ? { ...this.last } : null;
  }

  push(view: Viewport, t: number): void {
    if (this.last && isFarJump(this.last, view)) this.clear();
    this.last = { ...view };
    this.centre.push({ x: view.x + view.w / 2, y: view.y + view.h / 2 }, t);
    this.size.push({ x: view.w, y: view.h }, t);
  }

  clear(): void {
    this.last = null;
    this.centre.clear();
    this.size.clear();
  }

  settled(now: number): boolean {
    return this.centre.settled(now);
  }

  /** The view to show at `now`, or null if nothing was received. */
  sample(now: number): Viewport | null {
    const c = this.centre.sample(now);
    const s = this.size.sample(now);
    if (!c || !s) return null;
    // the spline may overshoot a little on sharp turns: a size must stay positive
    const w = Math.max(1e-3, s.x);
    const h = Math.max(1e-3, s.y);
    return { x: c.x - w / 2, y: c.y - h / 2, w, h };
  }
}
