import { describe, expect, it } from 'vitest';
import { catmullRom, CursorTrack } from './interpolation';

/** Feeds a track samples every `every` ms along f, from t=0 to t=end (inclusive). */
function feed(track: CursorTrack, f: (t: number) => { x: number; y: number }, every: number, end: number) {
  for (let t = 0; t <= end; t += every) track.push(f(t), t);
}

describe('catmullRom', () => {
  it('passes through the inner control points at u=0 and u=1', () => {
    const p = [{ x: 0, y: 0 }, { x: 10, y: 5 }, { x: 30, y: -5 }, { x: 40, y: 20 }];
    const a = catmullRom(p[0], p[1], p[2], p[3], 0);
    const b = catmullRom(p[0], p[1], p[2], p[3], 1);
    expect(a.x).toBeCloseTo(10);
    expect(a.y).toBeCloseTo(5);
    expect(b.x).toBeCloseTo(30);
    expect(b.y).toBeCloseTo(-5);
  });

  it('is a straight line for collinear evenly spaced points, and copes with coincident points', () => {
    const m = catmullRom({ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 20, y: 0 }, { x: 30, y: 0 }, 0.5);
    expect(m.x).toBeCloseTo(15);
    expect(m.y).toBeCloseTo(0);
    const same = catmullRom({ x: 5, y: 5 }, { x: 5, y: 5 }, { x: 5, y: 5 }, { x: 5, y: 5 }, 0.3);
    expect(same).toEqual({ x: 5, y: 5 });
  });
});

describe('CursorTrack', () => {
  it('draws nothing before the first sample and the first sample at once', () => {
    const track = new CursorTrack();
    expect(track.sample(0)).toBeNull();
    track.push({ x: 3, y: 4 }, 1000);
    expect(track.sample(1000)).toEqual({ x: 3, y: 4 });
    expect(track.received).toEqual({ x: 3, y: 4 });
  });

  it('replays a 10 Hz stream one interval late, through every received point', () => {
    const track = new CursorTrack();
    const line = (t: number) => ({ x: t, y: 2 * t });
    feed(track, line, 100, 500);
    expect(track.delay).toBeCloseTo(110);
    // at arrival time + delay the drawn point is exactly the received one
    const at = track.sample(300 + track.delay);
    expect(at?.x).toBeCloseTo(300);
    expect(at?.y).toBeCloseTo(600);
    const between = track.sample(350 + track.delay);
    expect(between?.x).toBeCloseTo(350, 0);
  });

  it('moves in small steps at 60 fps where the raw stream jumps a whole interval', () => {
    const track = new CursorTrack();
    const circle = (t: number) => ({ x: 300 * Math.cos(t / 400), y: 300 * Math.sin(t / 400) });
    let largest = 0;
    let prev: { x: number; y: number } | null = null;
    let lastDue = -1;
    for (let now = 0; now <= 2000; now += 1000 / 60) {
      // samples arrive at 10 Hz
      const due = Math.floor(now / 100) * 100;
      if (due > lastDue) {
        track.push(circle(due), due);
        lastDue = due;
      }
      const p = track.sample(now);
      if (prev && p && now > 300) largest = Math.max(largest, Math.hypot(p.x - prev.x, p.y - prev.y));
      prev = p;
    }
    const rawStep = Math.hypot(circle(100).x - circle(0).x, circle(100).y - circle(0).y);
    expect(rawStep).toBeGreaterThan(70);
    expect(largest).toBeLessThan(rawStep / 4);
  });

  it('settles exactly on the last received point when the stream stops', () => {
    const track = new CursorTrack();
    feed(track, (t) => ({ x: t / 3, y: -t }), 100, 400);
    expect(track.settled(400)).toBe(false);
    expect(track.settled(400 + track.delay)).toBe(true);
    expect(track.sample(10_000)).toEqual({ x: 400 / 3, y: -400 });
  });

  it('snaps on a far jump and after a long gap', () => {
    const track = new CursorTrack();
    feed(track, (t) => ({ x: t, y: 0 }), 100, 300);
    track.push({ x: 50_000, y: 0 }, 400);
    expect(track.sample(400)).toEqual({ x: 50_000, y: 0 });

    const gap = new CursorTrack();
    feed(gap, (t) => ({ x: t, y: 0 }), 100, 300);
    gap.push({ x: 400, y: 90 }, 3000);
    expect(gap.sample(3000)).toEqual({ x: 400, y: 90 });
  });

  it('after a short pause starts again from rest instead of jumping', () => {
    const track = new CursorTrack();
    feed(track, (t) => ({ x: t, y: 0 }), 100, 300);
    // 500 ms pause, then the peer moves on
    track.push({ x: 400, y: 0 }, 800);
    expect(track.sample(800)).toEqual({ x: 300, y: 0 });
    const mid = track.sample(800 + track.delay - 50)!;
    expect(mid.x).toBeGreaterThan(300);
    expect(mid.x).toBeLessThan(400);
    expect(track.sample(800 + track.delay)).toEqual({ x: 400, y: 0 });
  });

  it('learns a faster send rate and shortens the delay, within bounds', () => {
    const track = new CursorTrack();
    feed(track, (t) => ({ x: t, y: 0 }), 33, 2000);
    expect(track.delay).toBeGreaterThan(30);
    expect(track.delay).toBeLessThan(45);
    const slow = new CursorTrack({ maxDelayMs: 120 });
    feed(slow, (t) => ({ x: t, y: 0 }), 250, 2000);
    expect(slow.delay).toBe(120);
  });
});
