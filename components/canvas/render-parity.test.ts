/**
 * The SVG export draws what the canvas draws: for every shape type the canvas painter runs against
 * a recording fake context (lib/render/testing/recording-context.ts) and the export is parsed back
 * (lib/render/testing/svg-ops.ts); both become the same kind of op list — fills, strokes and text
 * runs with colour, alpha, width, dash, caps and board-space geometry — and must agree within 0.01
 * board units. The fake measures glyphs with the export's estimate: the wrapping algorithm is
 * shared (lib/render/style.ts wrapLines), only the glyph metric can differ, and that is not geometry.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_STYLE, type Shape, type ShapeId, type ShapeStyle } from '@/lib/board';
import type { ShapeLookup } from '@/lib/board/shape-geometry';
import { shapesToSvg } from '@/lib/io/svg';
import { ARROW_GAP } from '@/lib/render/arrowheads';
import { ESTIMATED_CHAR_WIDTH } from '@/lib/render/style';
import { diffOps, type DrawOp } from '@/lib/render/testing/draw-ops';
import { FakePath2D, RecordingContext } from '@/lib/render/testing/recording-context';
import { svgShapes } from '@/lib/render/testing/svg-ops';
import { geoPath, paintShape, strokeBatch } from './shape-painter';

type Input = { id: string; type: Shape['type']; x: number; y: number; w: number; h: number; rotation?: number; style?: Partial<ShapeStyle> } & Record<string, unknown>;

function shape(input: Input): Shape {
  const { style, rotation, ...rest } = input;
  const s = { index: 'a0', locked: false, createdBy: 't', start: null, end: null, ...rest, id: input.id as ShapeId, rotation: rotation ?? 0, style: { ...DEFAULT_STYLE, ...style } };
  return s as unknown as Shape; // built by hand for the test; each literal below is a valid shape of its type
}

const rect = shape({ id: 'rect', type: 'rect', x: 0, y: 0, w: 120, h: 80, rotation: 0.3, style: { stroke: '#e03131', fill: 'solid', dash: 'dashed', strokeWidth: 3, opacity: 0.8 } });
const ellipse = shape({ id: 'ellipse', type: 'ellipse', x: 300, y: 10, w: 100, h: 70, rotation: -0.5, style: { stroke: '#1971c2', fill: 'semi', dash: 'dotted' } });
const diamond = shape({ id: 'diamond', type: 'diamond', x: 0, y: 200, w: 120, h: 100, style: { stroke: '#2f9e44', strokeWidth: 4 } });
const shapes: Shape[] = [
  rect,
  ellipse,
  diamond,
  shape({ id: 'diamond-turned', type: 'diamond', x: 500, y: 200, w: 90, h: 60, rotation: 1.1, style: { stroke: '#f80', fill: 'solid' } }),
  // big and turned: the export's rotate() must be precise enough for corners far from the centre
  shape({ id: 'rect-big-turned', type: 'rect', x: -3000, y: -2000, w: 2400, h: 1200, rotation: 0.123456, style: { stroke: '#495057' } }),
  shape({ id: 'rect-outline', type: 'rect', x: 600, y: 0, w: 50, h: 50, style: { strokeWidth: 0, fill: 'semi', stroke: '#845ef7' } }),
  shape({ id: 'line-bent', type: 'line', x: 200, y: 400, w: 200, h: 100, points: [{ x: 0, y: 0 }, { x: 100, y: 100 }, { x: 200, y: 0 }], style: { dash: 'dashed', strokeWidth: 2 } }),
  shape({ id: 'line-zero', type: 'line', x: 200, y: 600, w: 100, h: 0, points: [{ x: 0, y: 0 }, { x: 100, y: 0 }], style: { strokeWidth: 0 } }),
  shape({ id: 'arrow-free', type: 'arrow', x: 450, y: 400, w: 150, h: 60, points: [{ x: 0, y: 60 }, { x: 150, y: 0 }], style: { stroke: '#0c8599', strokeWidth: 5 } }),
  // bound at both ends and bent: both ends clipped at the targets' outlines
  shape({
    id: 'arrow-bound', type: 'arrow', x: 120, y: 40, w: 180, h: 60, points: [{ x: 0, y: 0 }, { x: 90, y: 60 }, { x: 180, y: 0 }],
    start: { shapeId: 'rect', anchor: { x: 0.5, y: 0.5 } }, end: { shapeId: 'ellipse', anchor: { x: 0.5, y: 0.5 } }, style: { dash: 'dotted', stroke: '#7048e8cc' },
  }),
  shape({ id: 'arrow-end-bound', type: 'arrow', x: 200, y: 250, w: 100, h: 10, points: [{ x: 100, y: 10 }, { x: 0, y: 0 }], end: { shapeId: 'diamond', anchor: { x: 0.5, y: 0.5 } } }),
  shape({
    id: 'freehand', type: 'freehand', x: 700, y: 300, w: 80, h: 60, rotation: 0.4, style: { stroke: '#e8590c', strokeWidth: 3 },
    points: [{ x: 0, y: 0, pressure: 0.4 }, { x: 20, y: 30, pressure: 0.6 }, { x: 50, y: 40, pressure: 0.7 }, { x: 80, y: 60, pressure: 0.5 }],
  }),
  shape({ id: 'text', type: 'text', x: 0, y: 700, w: 220, h: 70, rotation: 0.2, text: 'Hello & <bye>\nsecond line', style: { fontSize: 28, stroke: '#343a40' } }),
  shape({
    id: 'note', type: 'note', x: 300, y: 700, w: 200, h: 200, rotation: 0.1, color: '#fde68a', style: { fontSize: 20 },
    text: 'A sticky note with enough words to wrap over several lines\nand a second paragraph',
  }),
];

const byId = new Map(shapes.map((s) => [s.id as string, s]));
const lookup: ShapeLookup = (id) => byId.get(id);

function canvasOps(s: Shape): DrawOp[] {
  const ctx = new RecordingContext((text, fontSize) => text.length * fontSize * ESTIMATED_CHAR_WIDTH);
  // the fake implements the part of the 2D context the painter calls
  paintShape(ctx as unknown as CanvasRenderingContext2D, s, lookup, 1, false);
  return ctx.ops;
}

beforeAll(() => {
  vi.stubGlobal('Path2D', FakePath2D);
});
afterAll(() => {
  vi.unstubAllGlobals();
});

describe('SVG export matches the canvas painter', () => {
  it.each(shapes.map((s) => [s.id, s] as const))('%s', (_id, s) => {
    const exported = svgShapes(shapesToSvg([s], lookup));
    expect(exported).toHaveLength(1);
    expect(exported[0].type).toBe(s.type);
    const canvas = canvasOps(s);
    expect(diffOps(canvas, exported[0].ops)).toEqual([]);
    if (s.id !== 'line-zero') expect(canvas.length).toBeGreaterThan(0);
  });

  it('a whole board exports shape for shape, in z-order', () => {
    const exported = svgShapes(shapesToSvg(shapes, lookup));
    expect(exported.map((e) => e.type)).toEqual(shapes.map((s) => s.type));
    exported.forEach((e, i) => expect(diffOps(canvasOps(shapes[i]), e.ops)).toEqual([]));
  });

  it('bound arrows stop short of their targets (both renderers, same points)', () => {
    const ops = canvasOps(byId.get('arrow-bound')!);
    const line = ops[0];
    if (line.op !== 'stroke' || line.shapes[0].kind !== 'poly') throw new Error('expected the arrow line first');
    const pts = line.shapes[0].points;
    expect(pts).toHaveLength(3);
    // the anchors are the targets' centres; the drawn ends sit outside both shapes
    expect(Math.hypot(pts[0].x - 60, pts[0].y - 40)).toBeGreaterThan(30);
    expect(Math.hypot(pts[2].x - 350, pts[2].y - 45)).toBeGreaterThan(30 + ARROW_GAP);
    const head = ops[1];
    expect(head.op === 'stroke' && head.dash).toEqual([]); // heads are never dashed
  });

  it('batched outlines (the screen path for unfilled opaque geo shapes) stroke the same outline', () => {
    for (const s of [diamond, shape({ id: 'r2', type: 'rect', x: 5, y: 5, w: 40, h: 30, rotation: 0.7, style: { dash: 'dashed' } })]) {
      const ctx = new RecordingContext(() => 0);
      strokeBatch(ctx as unknown as CanvasRenderingContext2D, geoPath(s) as unknown as Path2D, s.style);
      expect(diffOps(ctx.ops, canvasOps(s).filter((o) => o.op === 'stroke'))).toEqual([]);
    }
  });
});
