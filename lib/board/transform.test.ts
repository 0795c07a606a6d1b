import { describe, expect, it } from 'vitest';
import { anchorFor, anchorPoint, localToBoard } from './shape-geometry';
import { handlePoint, mapBox, normalizeAngle, resizeFrame, rotationDelta } from '../geometry/transform';

describe('resize and rotate maths', () => {
  const frame = { x: 0, y: 0, w: 100, h: 50, rotation: 0 };

  it('dragging a corner keeps the opposite corner fixed; shift keeps the aspect ratio', () => {
    expect(resizeFrame(frame, 'se', { x: 150, y: 80 }, false)).toEqual({ x: 0, y: 0, w: 150, h: 80, rotation: 0 });
    expect(resizeFrame(frame, 'nw', { x: -50, y: -10 }, false)).toEqual({ x: -50, y: -10, w: 150, h: 60, rotation: 0 });
    expect(resizeFrame(frame, 'se', { x: 300, y: 60 }, true)).toEqual({ x: 0, y: 0, w: 300, h: 150, rotation: 0 });
    expect(resizeFrame(frame, 'e', { x: -500, y: 0 }, false).w).toBe(1); // never flips
  });

  it('resizing a rotated frame keeps the opposite handle where it was on the board', () => {
    const rotated = { ...frame, rotation: Math.PI / 3 };
    const fixed = handlePoint(rotated, 'nw');
    const after = resizeFrame(rotated, 'se', { x: 200, y: 200 }, false);
    const moved = handlePoint(after, 'nw');
    expect(moved.x).toBeCloseTo(fixed.x);
    expect(moved.y).toBeCloseTo(fixed.y);
  });

  it('maps boxes between frames, rotation snaps with shift, angles normalise', () => {
    expect(mapBox({ x: 50, y: 25, w: 10, h: 10 }, { x: 0, y: 0, w: 100, h: 50 }, { x: 100, y: 100, w: 200, h: 100 })).toEqual({ x: 200, y: 150, w: 20, h: 20 });
    expect(rotationDelta({ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1.1 }, true)).toBeCloseTo(Math.PI / 4);
    expect(normalizeAngle(3 * Math.PI)).toBeCloseTo(Math.PI);
  });

  it('arrow anchors round-trip through a rotated target; point lists stretch onto the box', () => {
    const target = { x: 10, y: 20, w: 80, h: 40, rotation: 0.7 };
    const p = anchorPoint(target, { x: 0.25, y: 0.75 });
    const a = anchorFor(target, p);
    expect(a.x).toBeCloseTo(0.25);
    expect(a.y).toBeCloseTo(0.75);
    expect(localToBoard({ x: 100, y: 100, w: 20, h: 10, rotation: 0 }, [{ x: 5, y: 5 }, { x: 15, y: 10 }])).toEqual([
      { x: 100, y: 100 },
      { x: 120, y: 110 },
    ]);
  });
});
