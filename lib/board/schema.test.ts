import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ensureMeta, openBoard } from './board';
import { migrateBoard } from './migrations';
import { addShape, duplicateShapes, getNoteFragment, updateShape } from './ops';
import { appendFreehandPoints, setLinePoints } from './ops-points';
import { getShape, listShapes } from './read';
import { SCHEMA_VERSION, type ShapeId } from './schema';
import { makePeers, syncAll } from './test-helpers';

function expectConverged(boards: ReturnType<typeof makePeers>) {
  const first = JSON.stringify(listShapes(boards[0]));
  for (const b of boards) expect(JSON.stringify(listShapes(b))).toBe(first);
}

describe('every shape type round-trips and converges', () => {
  it('creates one of each type on three peers, with its type-specific fields', () => {
    const [a, b, c] = makePeers(3);
    const base = { x: 10, y: 20, w: 100, h: 50, createdBy: 'A' };
    const rect = addShape(a, { ...base, type: 'rect', style: { fill: 'semi', dash: 'dashed' } });
    addShape(b, { ...base, type: 'ellipse' });
    addShape(c, { ...base, type: 'diamond', locked: true });
    addShape(a, { ...base, type: 'line' });
    const arrow = addShape(b, { ...base, type: 'arrow', end: { shapeId: rect, anchor: { x: 0.5, y: 0.5 } } });
    addShape(c, { ...base, type: 'freehand', points: [{ x: 0, y: 0, pressure: 0.5 }, { x: 100, y: 50, pressure: 1 }] });
    addShape(a, { ...base, type: 'text', text: 'hello', style: { fontSize: 32 } });
    addShape(b, { ...base, type: 'note', color: '#bbf7d0', text: 'sticky' });
    syncAll([a, b, c]);
    expectConverged([a, b, c]);
    const byType = Object.fromEntries(listShapes(c).map((s) => [s.type, s]));
    expect(Object.keys(byType).sort()).toEqual(['arrow', 'diamond', 'ellipse', 'freehand', 'line', 'note', 'rect', 'text']);
    expect(byType.rect.style).toMatchObject({ fill: 'semi', dash: 'dashed', fontSize: 20 });
    expect(byType.diamond.locked).toBe(true);
    expect(byType.line).toMatchObject({ points: [{ x: 0, y: 0 }, { x: 100, y: 50 }] });
    expect(byType.arrow).toMatchObject({ start: null, end: { shapeId: rect, anchor: { x: 0.5, y: 0.5 } } });
    expect(byType.freehand).toMatchObject({ points: [{ x: 0, y: 0, pressure: 0.5 }, { x: 100, y: 50, pressure: 1 }] });
    expect(byType.text).toMatchObject({ text: 'hello', style: { fontSize: 32 } });
    expect(byType.note).toMatchObject({ color: '#bbf7d0', text: 'sticky' });
    expect(getShape(c, arrow)?.type).toBe('arrow');
  });

  it('a note exposes its Y.XmlFragment; rich edits by two peers merge and show in the plain text', () => {
    const [a, b] = makePeers(2);
    const id = addShape(a, { type: 'note', x: 0, y: 0, w: 200, h: 200, createdBy: 'A', text: 'one' });
    syncAll([a, b]);
    const fa = getNoteFragment(a, id)!;
    const fb = getNoteFragment(b, id)!;
    expect(fb).toBeInstanceOf(Y.XmlFragment);
    a.doc.transact(() => ((fa.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(3, '!'));
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('two')]);
    b.doc.transact(() => fb.push([p]));
    syncAll([a, b]);
    expect(getShape(a, id)).toMatchObject({ text: 'one!\ntwo' });
    expectConverged([a, b]);
    expect(getNoteFragment(a, 'missing')).toBeNull();
  });

  it('setLinePoints and a concurrent style change both survive', () => {
    const [a, b] = makePeers(2);
    const id = addShape(a, { type: 'line', x: 0, y: 0, w: 10, h: 10, createdBy: 'A' });
    syncAll([a, b]);
    setLinePoints(a, id, [{ x: 50, y: 60 }, { x: 150, y: 20 }, { x: 200, y: 100 }]);
    updateShape(b, id, { style: { stroke: '#ff0000' } });
    syncAll([a, b]);
    expectConverged([a, b]);
    expect(getShape(b, id)).toMatchObject({ x: 50, y: 20, w: 150, h: 80, points: [{ x: 0, y: 40 }, { x: 100, y: 0 }, { x: 150, y: 80 }] });
    expect(getShape(b, id)?.style.stroke).toBe('#ff0000');
  });

  it('freehand appends send one small chunk each, never the whole stroke', () => {
    const [a, b] = makePeers(2);
    const id = addShape(a, { type: 'freehand', x: 0, y: 0, w: 0, h: 0, createdBy: 'A', points: [{ x: 0, y: 0, pressure: 0.5 }] });
    syncAll([a, b]);
    const sizes: number[] = [];
    a.doc.on('update', (u: Uint8Array) => sizes.push(u.byteLength));
    for (let i = 1; i <= 200; i++) {
      const pts = [{ x: i * 2, y: Math.sin(i) * 30, pressure: 0.5 }, { x: i * 2 + 1, y: Math.sin(i) * 30 + 1, pressure: 0.6 }];
      appendFreehandPoints(a, id, pts, { x: 0, y: -31, w: i * 2 + 1, h: 62 });
    }
    expect(sizes).toHaveLength(200);
    // 2 points per append; the update carries that chunk and the box, independent of stroke length
    expect(Math.max(...sizes)).toBeLessThan(80);
    expect(sizes[199]).toBeLessThanOrEqual(sizes[10] + 8);
    syncAll([a, b]);
    const s = getShape(b, id);
    expect(s?.type === 'freehand' && s.points.length).toBe(401);
    expectConverged([a, b]);
  });

  it('duplicate copies every field, rebinding arrows only to duplicated targets', () => {
    const [a, b] = makePeers(2);
    const box = addShape(a, { type: 'rect', x: 0, y: 0, w: 50, h: 50, createdBy: 'A' });
    const other = addShape(a, { type: 'rect', x: 200, y: 0, w: 50, h: 50, createdBy: 'A' });
    const arrow = addShape(a, {
      type: 'arrow', x: 50, y: 25, w: 150, h: 0, createdBy: 'A',
      start: { shapeId: box, anchor: { x: 1, y: 0.5 } }, end: { shapeId: other, anchor: { x: 0, y: 0.5 } },
    });
    const note = addShape(a, { type: 'note', x: 0, y: 100, w: 100, h: 100, createdBy: 'A', text: 'copy me' });
    const ids = duplicateShapes(a, [box, arrow, note], { x: 10, y: 10 });
    syncAll([a, b]);
    expectConverged([a, b]);
    const copies = ids.map((id) => getShape(b, id)!);
    expect(copies.map((s) => s.type)).toEqual(['rect', 'arrow', 'note']);
    const copiedArrow = copies[1];
    expect(copiedArrow.type === 'arrow' && copiedArrow.start?.shapeId).toBe(ids[0]);
    expect(copiedArrow.type === 'arrow' && copiedArrow.end).toBeNull();
    expect(copies[2]).toMatchObject({ text: 'copy me', x: 10, y: 110 });
    expect(getNoteFragment(b, ids[2])).not.toBe(getNoteFragment(b, note));
  });
});

describe('untrusted shapes and migration', () => {
  it('skips malformed per-type data from a peer, keeps arrows with a bad binding (unbound)', () => {
    const [a, b] = makePeers(2);
    const ok = addShape(a, { type: 'arrow', x: 0, y: 0, w: 10, h: 10, createdBy: 'A' });
    const line = addShape(a, { type: 'line', x: 0, y: 0, w: 10, h: 10, createdBy: 'A' });
    const text = addShape(a, { type: 'text', x: 0, y: 0, w: 10, h: 10, createdBy: 'A', text: 'x' });
    a.doc.transact(() => {
      a.shapes.get(ok)!.set('end', { shapeId: 'bad id!', anchor: { x: 5, y: 0 } });
      a.shapes.get(line)!.set('points', [1, 2, 3]);
      a.shapes.get(text)!.set('text', 42);
    });
    syncAll([a, b]);
    expect(listShapes(b).map((s) => s.id)).toEqual([ok]);
    expect(getShape(b, ok)).toMatchObject({ end: null });
  });

  it('migrates a v1 document: colour fills become modes, new fields get defaults', () => {
    const board = openBoard();
    board.doc.transact(() => {
      board.meta.set('schemaVersion', 1);
      for (const [id, fill] of [['a', 'transparent'], ['b', '#ff0000']]) {
        const y = new Y.Map<unknown>();
        for (const [k, v] of Object.entries({ id, type: 'rect', x: 0, y: 0, w: 10, h: 10, rotation: 0, index: 'V', createdBy: 'x', stroke: '#000000', fill, strokeWidth: 2, opacity: 1 })) y.set(k, v);
        board.shapes.set(id, y);
      }
    });
    expect(migrateBoard(board)).toBe('migrated');
    expect(board.meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
    expect(board.shapes.get('a')!.get('fill')).toBe('none');
    expect(board.shapes.get('b')!.toJSON()).toMatchObject({ fill: 'solid', dash: 'solid', fontSize: 20, locked: false });
    ensureMeta(board);
    expect(migrateBoard(board)).toBe('current');
    expect(getShape(board, 'b' as ShapeId)?.style.fill).toBe('solid');
  });
});
