/**
 * Smooth playback of a remote cursor from ~10 Hz samples. Samples are stamped with their local
 * arrival time and replayed `delay` ms late (about one send interval, learned from the arrival
 * rate and bounded), along a centripetal Catmull-Rom spline that passes through every received
 * point. When the stream stops, the drawn cursor settles exactly on the last received point.
 * A far jump or a long silence snaps instead of gliding; a short pause restarts from rest, so a
 * cursor that waited 200 ms does not dash across the gap in one frame.
 */
export type Point = { x: number; y: number };
type Sample = Point & { t: number };

export type TrackOptions = {
  /** Jumps longer than this (board units) are drawn at once. */
  snapDistance: number;
  /** A sample arriving this long after the previous one is drawn at once. */
  snapGapMs: number;
  /** Gaps longer than this (but shorter than snapGapMs) start a new motion from rest. */
  maxSegmentMs: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** Expected interval before any has been measured. */
  initialIntervalMs: number;
};

export const DEFAULT_TRACK_OPTIONS: TrackOptions = {
  snapDistance: 2000,
  snapGapMs: 1000,
  maxSegmentMs: 300,
  minDelayMs: 16,
  maxDelayMs: 250,
  initialIntervalMs: 100,
};

const HISTORY = 6;

export class CursorTrack {
  private samples: Sample[] = [];
  private interval: number;
  private readonly opts: TrackOptions;

  constructor(opts: Partial<TrackOptions> = {}) {
    this.opts = { ...DEFAULT_TRACK_OPTIONS, ...opts };
    this.interval = this.opts.initialIntervalMs;
  }

  /** The last received point, or null before the first. */
  get received(): Point | null {
    const last = this.samples.at(-1);
    return last ? { x: last.x, y: last.y } : null;
  }

  /** Playback delay now in use (ms). */
  get delay(): number {
    return Math.min(this.opts.maxDelayMs, Math.max(this.opts.minDelayMs, this.interval * 1.1));
  }

  push(p: Point, t: number): void {
    const last = this.samples.at(-1);
    const next = { x: p.x, y: p.y, t };
    if (!last) {
      this.samples = [next];
      return;
    }
    const gap = t - last.t;
    if (gap >= this.opts.snapGapMs || Math.hypot(p.x - last.x, p.y - last.y) > this.opts.snapDistance) {
      this.samples = [next];
      return;
    }
    if (gap > this.opts.maxSegmentMs) {
      // restart from rest: re-stamp the resting point one interval before the new one
      this.samples = [{ ...last, t: t - this.interval }, next];
      return;
    }
    if (gap > 0) this.interval = this.interval * 0.8 + gap * 0.2;
    // two samples in one tick: keep the newer, a zero-length segment would divide by zero
    if (gap <= 0) this.samples[this.samples.length - 1] = { ...next, t: last.t };
    else this.samples.push(next);
    if (this.samples.length > HISTORY) this.samples.shift();
  }

  /** Forgets everything (the peer's cursor left the board). */
  clear(): void {
    this.samples = [];
  }

  /** True once playback has reached the last received point. */
  settled(now: number): boolean {
    const last = this.samples.at(-1);
    return !last || now - this.delay >= last.t;
  }

  /** The position to draw at time `now` (same clock as push), or null if nothing was received. */
  sample(now: number): Point | null {
    const s = this.samples;
    if (s.length === 0) return null;
    const r = now - this.delay;
    const last = s[s.length - 1];
    if (r >= last.t) return { x: last.x, y: last.y };
    if (r <= s[0].t) return { x: s[0].x, y: s[0].y };
    let i = 0;
    while (i < s.length - 2 && s[i + 1].t <= r) i++;
    const p1 = s[i];
    const p2 = s[i + 1];
    const u = (r - p1.t) / (p2.t - p1.t);
    return catmullRom(s[i - 1] ?? p1, p1, p2, s[i + 2] ?? p2, u);
  }
}

/**
 * Centripetal Catmull-Rom (alpha 0.5, Barry-Goldman pyramid) between p1 and p2 at u in [0, 1].
 * Centripetal parametrisation avoids the loops and cusps the uniform one makes on sharp turns.
 */
export function catmullRom(p0: Point, p1: Point, p2: Point, p3: Point, u: number): Point {
  const knot = (a: Point, b: Point) => Math.max(1e-6, Math.sqrt(Math.hypot(b.x - a.x, b.y - a.y)));
  const t0 = 0;
  const t1 = t0 + knot(p0, p1);
  const t2 = t1 + knot(p1, p2);
  const t3 = t2 + knot(p2, p3);
  const t = t1 + (t2 - t1) * u;
  const lerp = (a: Point, b: Point, ta: number, tb: number): Point => {
    const w = (t - ta) / (tb - ta);
    return { x: a.x + (b.x - a.x) * w, y: a.y + (b.y - a.y) * w };
  };
  const a1 = lerp(p0, p1, t0, t1);
  const a2 = lerp(p1, p2, t1, t2);
  const a3 = lerp(p2, p3, t2, t3);
  const b1 = lerp(a1, a2, t0, t2);
  const b2 = lerp(a2, a3, t1, t3);
  return lerp(b1, b2, t1, t2);
}
