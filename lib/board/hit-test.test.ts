import { describe, expect, it } from 'vitest';
import { shapeAt, shapesInRect } from './hit-test';
import type { Shape, ShapeId } from './schema';
import { DEFAULT_STYLE } from './schema';

const rect = (id: string, x: number, y: number, w: number, h: number, rotation = 0): Shape => ({
  id: id as ShapeId, type: 'rect', x, y, w, h, rotation, index: id, style: DEFAULT_STYLE, locked: false, createdBy: 't',
});

describe('hit testing', () => {
  const bottom = rect('A', 0, 0, 100, 100);
  const top = rect('B', 50, 50, 100, 100);

  it('returns the topmost shape under the point', () => {
    expect(shapeAt([bottom, top], { x: 75, y: 75 })?.id).toBe('B');
    expect(shapeAt([bottom, top], { x: 10, y: 10 })?.id).toBe('A');
    expect(shapeAt([bottom, top], { x: 300, y: 300 })).toBeNull();
    expect(shapeAt([bottom], { x: 103, y: 50 }, 4)?.id).toBe('A');
  });

  it('accounts for rotation', () => {
    const thin = rect('T', 0, 45, 100, 10, Math.PI / 2); // a vertical bar centred on (50, 50)
    expect(shapeAt([thin], { x: 50, y: 5 })?.id).toBe('T');
    expect(shapeAt([thin], { x: 5, y: 50 })).toBeNull();
  });

  it('finds shapes fully inside a marquee', () => {
    expect(shapesInRect([bottom, top], { x: 160, y: 160 }, { x: -10, y: -10 }).map((s) => s.id)).toEqual(['A', 'B']);
    expect(shapesInRect([bottom, top], { x: -10, y: -10 }, { x: 120, y: 120 }).map((s) => s.id)).toEqual(['A']);
  });

  it('tests ellipses, diamonds and lines by their outline, not their box', () => {
    const base = { rotation: 0, index: 'V', style: DEFAULT_STYLE, locked: false, createdBy: 't', x: 0, y: 0, w: 100, h: 100 };
    const ellipse: Shape = { ...base, id: 'E' as ShapeId, type: 'ellipse' };
    const diamond: Shape = { ...base, id: 'D' as ShapeId, type: 'diamond' };
    const line: Shape = { ...base, id: 'L' as ShapeId, type: 'line', points: [{ x: 0, y: 0 }, { x: 100, y: 100 }] };
    expect(shapeAt([ellipse], { x: 50, y: 50 })?.id).toBe('E');
    expect(shapeAt([ellipse], { x: 5, y: 5 })).toBeNull(); // box corner, outside the ellipse
    expect(shapeAt([diamond], { x: 50, y: 10 })?.id).toBe('D');
    expect(shapeAt([diamond], { x: 10, y: 10 })).toBeNull();
    expect(shapeAt([line], { x: 52, y: 48 })?.id).toBe('L');
    expect(shapeAt([line], { x: 90, y: 10 })).toBeNull();
  });
});
