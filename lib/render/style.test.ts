import { describe, expect, it } from 'vitest';
import { DEFAULT_STYLE } from '@/lib/board/schema';
import { arrowHead, linePath } from './arrowheads';
import { dashArray, fillColor, fontFor, luminance, parseHex, tint, withAlpha, wrapLines } from './style';

describe('lib/render style', () => {
  it('parses every hex form isColor accepts', () => {
    expect(parseHex('#e03131')).toEqual([224, 49, 49, 1]);
    expect(parseHex('#f80')).toEqual([255, 136, 0, 1]);
    expect(parseHex('#f808')).toEqual([255, 136, 0, 136 / 255]);
    expect(parseHex('#7048e8cc')).toEqual([112, 72, 232, 204 / 255]);
    expect(parseHex('nonsense')).toEqual([0, 0, 0, 1]);
  });

  it('derives fills, tints and luminance from the one parser', () => {
    expect(tint('#e03131')).toBe('rgb(249, 218, 218)');
    expect(withAlpha('#f80', 0.5)).toBe('rgba(255, 136, 0, 0.5)');
    expect(fillColor({ ...DEFAULT_STYLE, fill: 'none' })).toBeNull();
    expect(fillColor({ ...DEFAULT_STYLE, stroke: '#e03131', fill: 'semi' })).toBe('rgba(224, 49, 49, 0.22)');
    expect(fillColor({ ...DEFAULT_STYLE, stroke: '#e03131', fill: 'solid' }, true)).toBe('rgb(82, 31, 44)');
    expect(luminance('#ffffff')).toBeCloseTo(1, 6);
    expect(luminance('#000')).toBe(0);
  });

  it('hands the painter the same dash array and font string every frame', () => {
    const dashed = { ...DEFAULT_STYLE, dash: 'dashed' as const, strokeWidth: 3 };
    expect(dashArray(dashed)).toEqual([12, 9]);
    expect(dashArray(dashed)).toBe(dashArray({ ...dashed }));
    expect(dashArray({ ...DEFAULT_STYLE, dash: 'dotted' })).toEqual([0, 5]);
    expect(dashArray(DEFAULT_STYLE)).toEqual([]);
    expect(fontFor(20)).toBe(fontFor(20));
  });

  it('wraps on words by the given metric, never inside a word', () => {
    expect(wrapLines('aa bb cc\ndd', 5, (l) => l.length)).toEqual(['aa bb', 'cc', 'dd']);
    expect(wrapLines('aa bb', null, (l) => l.length)).toEqual(['aa bb']);
  });

  it('points the arrowhead back along the last segment', () => {
    const [a, tip, b] = arrowHead({ x: 0, y: 0 }, { x: 100, y: 0 }, 2);
    expect(tip).toEqual({ x: 100, y: 0 });
    expect(a.x).toBeLessThan(100);
    expect(a.y).toBeCloseTo(-b.y, 9);
  });

  it('caches a path per shape and recomputes it when a bound target changes', () => {
    const base = { index: 'a0', locked: false, createdBy: 't', rotation: 0, style: DEFAULT_STYLE };
    const target = { ...base, id: 't', type: 'rect', x: 100, y: -50, w: 100, h: 100 } as const;
    const arrow = { ...base, id: 'a', type: 'arrow', x: 0, y: 0, w: 150, h: 0, points: [{ x: 0, y: 0 }, { x: 150, y: 0 }], start: null, end: { shapeId: 't', anchor: { x: 0.5, y: 0.5 } } } as const;
    // hand-built shapes: the ids need the brand
    const shapes = new Map<string, unknown>([['t', target], ['a', arrow]]);
    const lookup = (id: string) => shapes.get(id) as never;
    const first = linePath(arrow as never, lookup);
    expect(first[1].x).toBeCloseTo(100 - 1 - 4, 3); // outline + half the stroke, minus the gap
    expect(linePath(arrow as never, lookup)).toBe(first);
    shapes.set('t', { ...target, x: 200 });
    expect(linePath(arrow as never, lookup)[1].x).toBeCloseTo(200 - 1 - 4, 3);
  });
});
