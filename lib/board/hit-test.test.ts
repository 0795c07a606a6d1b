import { describe, expect, it } from 'vitest';
import { hitShape } from './hit-test';
import type { Shape, ShapeId } from './schema';
import { DEFAULT_STYLE } from './schema';

const rect = (id: string, x: number, y: number, w: number, h: number, rotation = 0): Shape => ({
  id: id as ShapeId, type: 'rect', x, y, w, h, rotation, index: id, style: DEFAULT_STYLE, locked: false, createdBy: 't',
});

// topmost-under-a-point and the marquee are the editor's (components/editor/editor.test.ts)
describe('hit testing one shape', () => {
  it('hits a box with tolerance', () => {
    const a = rect('A', 0, 0, 100, 100);
    expect(hitShape(a, { x: 10, y: 10 })).toBe(true);
    expect(hitShape(a, { x: 300, y: 300 })).toBe(false);
    expect(hitShape(a, { x: 103, y: 50 }, 4)).toBe(true);
  });

  it('accounts for rotation', () => {
    const thin = rect('T', 0, 45, 100, 10, Math.PI / 2); // a vertical bar centred on (50, 50)
    expect(hitShape(thin, { x: 50, y: 5 })).toBe(true);
    expect(hitShape(thin, { x: 5, y: 50 })).toBe(false);
  });

  it('tests ellipses, diamonds and lines by their outline, not their box', () => {
    const base = { rotation: 0, index: 'V', style: DEFAULT_STYLE, locked: false, createdBy: 't', x: 0, y: 0, w: 100, h: 100 };
    const ellipse: Shape = { ...base, id: 'E' as ShapeId, type: 'ellipse' };
    const diamond: Shape = { ...base, id: 'D' as ShapeId, type: 'diamond' };
    const line: Shape = { ...base, id: 'L' as ShapeId, type: 'line', points: [{ x: 0, y: 0 }, { x: 100, y: 100 }] };
    expect(hitShape(ellipse, { x: 50, y: 50 })).toBe(true);
    expect(hitShape(ellipse, { x: 5, y: 5 })).toBe(false); // box corner, outside the ellipse
    expect(hitShape(diamond, { x: 50, y: 10 })).toBe(true);
    expect(hitShape(diamond, { x: 10, y: 10 })).toBe(false);
    expect(hitShape(line, { x: 52, y: 48 })).toBe(true);
    expect(hitShape(line, { x: 90, y: 10 })).toBe(false);
  });
});
