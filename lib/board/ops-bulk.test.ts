import { describe, expect, it } from 'vitest';
import { addShape } from './ops';
import { insertShapes, setShapesStyle, type ShapeInput } from './ops-bulk';
import { getNoteTree } from './ops-notes';
import { getShape, listShapes } from './read';
import { makePeers, syncAll } from './test-helpers';
import { createHistory } from './undo';

const rect = (x: number) => ({ type: 'rect' as const, x, y: 0, w: 100, h: 80, createdBy: 'Alice' });

describe('setShapesStyle', () => {
  it('styles every selected shape in one undo step and converges on a peer', () => {
    const [a, b] = makePeers(2);
    const ids = [addShape(a, rect(0)), addShape(a, rect(200)), addShape(a, rect(400))];
    syncAll([a, b]);
    const history = createHistory(a);
    expect(setShapesStyle(a, ids.slice(0, 2), { stroke: '#e03131', fill: 'semi', dash: 'dashed' })).toBe(2);
    syncAll([a, b]);
    expect(getShape(b, ids[0])?.style).toMatchObject({ stroke: '#e03131', fill: 'semi', dash: 'dashed' });
    expect(getShape(b, ids[1])?.style.fill).toBe('semi');
    expect(getShape(b, ids[2])?.style.fill).toBe('none');
    expect(history.undo()).toBe(true);
    syncAll([a, b]);
    expect(getShape(b, ids[0])?.style.stroke).toBe('#1e293b');
    expect(getShape(b, ids[1])?.style.fill).toBe('none');
    expect(history.canUndo()).toBe(false);
  });

  it('resizes through fit in the same step (text follows its font size)', () => {
    const [a] = makePeers(1);
    const text = addShape(a, { type: 'text', x: 0, y: 0, w: 50, h: 25, text: 'hi', createdBy: 'A' });
    const box = addShape(a, rect(100));
    const history = createHistory(a);
    setShapesStyle(a, [text, box], { fontSize: 40 }, undefined, (s) => (s.type === 'text' ? { w: s.style.fontSize * 2.5, h: s.style.fontSize * 1.25 } : null));
    expect(getShape(a, text)).toMatchObject({ w: 100, h: 50, style: { fontSize: 40 } });
    expect(getShape(a, box)).toMatchObject({ w: 100, h: 80 });
    history.undo();
    expect(getShape(a, text)).toMatchObject({ w: 50, h: 25, style: { fontSize: 20 } });
  });

  it('rejects an invalid style before writing anything', () => {
    const [a] = makePeers(1);
    const id = addShape(a, rect(0));
    expect(() => setShapesStyle(a, [id], { opacity: 3 })).toThrow(/invalid shape style/);
    expect(getShape(a, id)?.style.opacity).toBe(1);
  });
});

describe('insertShapes', () => {
  const source: ShapeInput[] = [
    { id: 'box-a', type: 'rect', x: 0, y: 0, w: 100, h: 100, index: 'a1', style: { stroke: '#2f9e44' } },
    { id: 'box-b', type: 'ellipse', x: 300, y: 0, w: 100, h: 100, index: 'a2' },
    {
      id: 'arrow-1', type: 'arrow', x: 100, y: 50, w: 200, h: 0, index: 'a3',
      points: [{ x: 0, y: 0 }, { x: 200, y: 0 }],
      start: { shapeId: 'box-a' as never, anchor: { x: 1, y: 0.5 } },
      end: { shapeId: 'outside' as never, anchor: { x: 0, y: 0.5 } },
    },
    { id: 'note-1', type: 'note', x: 0, y: 200, w: 200, h: 200, index: 'a4', color: '#a5d8ff', text: 'hi', content: [{ type: 'paragraph', attrs: {}, content: [{ type: 'text', text: 'Rich', marks: [{ type: 'bold', attrs: {} }] }] }] },
    { id: 'stroke', type: 'freehand', x: 0, y: 500, w: 10, h: 10, index: 'a5', points: [{ x: 0, y: 0, pressure: 0.5 }, { x: 10, y: 10, pressure: 0.5 }] },
  ];

  it('adds copies with fresh ids, offset, on top, with bindings remapped inside the set', () => {
    const [a, b] = makePeers(2);
    addShape(a, rect(0));
    const history = createHistory(a);
    const ids = insertShapes(a, source, { offset: { x: 10, y: 20 }, createdBy: 'Bob' });
    syncAll([a, b]);
    const all = listShapes(b);
    expect(all).toHaveLength(6);
    expect(all.slice(1).map((s) => s.id)).toEqual(ids);
    expect(ids.some((id) => source.some((s) => s.id === id))).toBe(false);
    const [boxA, boxB, arrow, note] = ids.map((id) => getShape(b, id)!);
    expect(boxA).toMatchObject({ type: 'rect', x: 10, y: 20, createdBy: 'Bob', style: { stroke: '#2f9e44' } });
    expect(boxB).toMatchObject({ type: 'ellipse', x: 310 });
    expect(arrow).toMatchObject({ type: 'arrow', start: { shapeId: boxA.id, anchor: { x: 1, y: 0.5 } }, end: null });
    expect(note).toMatchObject({ type: 'note', color: '#a5d8ff', text: 'Rich' });
    expect(getNoteTree(b, note.id)?.[0]).toMatchObject({ type: 'paragraph', content: [{ text: 'Rich', marks: [{ type: 'bold' }] }] });
    // one undo step removes the whole paste
    history.undo();
    expect(listShapes(a)).toHaveLength(1);
  });

  it('writes nothing when one input is invalid', () => {
    const [a] = makePeers(1);
    const bad: ShapeInput[] = [source[0], { id: 'x', type: 'line', x: 0, y: 0, w: 1, h: 1, points: [{ x: 0, y: 0 }] }];
    expect(() => insertShapes(a, bad, { createdBy: 'A' })).toThrow(/2\.\.1000 points/);
    expect(listShapes(a)).toHaveLength(0);
  });
});
