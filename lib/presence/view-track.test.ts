import { describe, expect, it } from 'vitest';
import type { Viewport } from './awareness';
import { isFarJump, ViewTrack } from './view-track';

const view = (cx: number, cy: number, w: number, h = w * 0.625): Viewport => ({ x: cx - w / 2, y: cy - h / 2, w, h });

describe('ViewTrack (follow mode)', () => {
  it('shows the first view at once and settles exactly on the last one', () => {
    const track = new ViewTrack();
    expect(track.sample(0)).toBeNull();
    track.push(view(0, 0, 1000), 0);
    expect(track.sample(0)).toEqual(view(0, 0, 1000));
    for (let i = 1; i <= 10; i++) track.push(view(i * 40, i * 10, 1000 - i * 20), i * 100);
    expect(track.settled(1000)).toBe(false);
    expect(track.settled(5000)).toBe(true);
    const end = track.sample(5000)!;
    const want = view(400, 100, 800);
    for (const k of ['x', 'y', 'w', 'h'] as const) expect(end[k]).toBeCloseTo(want[k], 6);
  });

  it('glides between 10 Hz views: per-frame steps are a fraction of a whole send interval', () => {
    const track = new ViewTrack();
    for (let i = 0; i <= 20; i++) track.push(view(i * 60, 0, 1000), i * 100);
    let prev = track.sample(1000)!;
    let largest = 0;
    for (let t = 1016; t <= 2000; t += 16) {
      const v = track.sample(t)!;
      largest = Math.max(largest, Math.abs(v.x - prev.x));
      prev = v;
    }
    // 60 units per 100 ms is ~9.6 units per 16 ms frame; a jumping camera moves 60 at once
    expect(largest).toBeGreaterThan(5);
    expect(largest).toBeLessThan(20);
  });

  it('lags the leader by a bounded delay', () => {
    const track = new ViewTrack();
    for (let i = 0; i <= 20; i++) track.push(view(i * 60, 0, 1000), i * 100);
    const v = track.sample(2000)!;
    const lagUnits = 20 * 60 - (v.x + v.w / 2);
    // about one send interval (60 units), never more than the 250 ms delay bound (150 units)
    expect(lagUnits).toBeGreaterThan(0);
    expect(lagUnits).toBeLessThanOrEqual(150);
  });

  it('snaps on a jump across the board or a large zoom', () => {
    expect(isFarJump(view(0, 0, 1000), view(500, 0, 1000))).toBe(false);
    expect(isFarJump(view(0, 0, 1000), view(50_000, 0, 1000))).toBe(true);
    expect(isFarJump(view(0, 0, 1000), view(0, 0, 100))).toBe(true);
    const track = new ViewTrack();
    track.push(view(0, 0, 1000), 0);
    track.push(view(100, 0, 1000), 100);
    track.push(view(50_000, 0, 1000), 200);
    expect(track.sample(200)).toEqual(view(50_000, 0, 1000));
    expect(track.received).toEqual(view(50_000, 0, 1000));
  });
});
