import { describe, expect, it } from 'vitest';
import { SnapLines } from './snap';

describe('SnapLines', () => {
  const lines = new SnapLines([
    { x: 0, y: 0, w: 100, h: 50 },
    { x: 300, y: 200, w: 40, h: 40 },
  ]);

  it('snaps the nearest edge or centre within the threshold, per axis, with a guide', () => {
    // left edge 103 is 3 from the first box's right edge (100); top 198 is 2 from the second box's top (200)
    const r = lines.snapBox({ x: 103, y: 198, w: 20, h: 20 }, 5);
    expect(r.dx).toBe(-3);
    expect(r.dy).toBe(2);
    expect(r.guides).toEqual([
      { axis: 'x', at: 100, from: 0, to: 220 },
      { axis: 'y', at: 200, from: 100, to: 340 },
    ]);
  });

  it('aligns centres', () => {
    // centre x 52 vs the first box's centre 50
    expect(lines.snapBox({ x: 42, y: 500, w: 20, h: 20 }, 5)).toMatchObject({ dx: -2, dy: 0 });
  });

  it('leaves a box alone when nothing is near', () => {
    expect(lines.snapBox({ x: 150, y: 100, w: 10, h: 10 }, 5)).toEqual({ dx: 0, dy: 0, guides: [] });
  });

  it('snaps a point only on the axes asked for', () => {
    expect(lines.snapPoint({ x: 298, y: 52 }, 5, { x: true, y: false })).toMatchObject({ dx: 2, dy: 0 });
    expect(lines.snapPoint({ x: 298, y: 52 }, 5, { x: false, y: true })).toMatchObject({ dx: 0, dy: -2 });
  });

  it('finds the nearest of thousands of lines by binary search', () => {
    const many = new SnapLines(Array.from({ length: 5000 }, (_, i) => ({ x: i * 10, y: 0, w: 4, h: 4 })));
    expect(many.size).toBe(5000);
    expect(many.snapPoint({ x: 12345.5, y: 1000 }, 2, { x: true, y: true }).dx).toBe(-1.5); // 12344 = 1234*10 + 4
  });
});
