import { describe, expect, it } from 'vitest';
import { resolveLinePoints } from './shape-geometry';
import { addShape, deleteShapes, moveShapes, updateShape } from './ops';
import { bringForward, bringToFront, sendBackward, sendToBack } from './ops-order';
import { getShape, listShapes } from './read';
import { createHistory } from './undo';
import { makePeers, syncAll } from './test-helpers';
import type { Board } from './board';

const rect = (x: number) => ({ type: 'rect' as const, x, y: 0, w: 100, h: 80, createdBy: 'A' });

function expectConverged(boards: Board[]) {
  const first = JSON.stringify(listShapes(boards[0]));
  for (const b of boards) expect(JSON.stringify(listShapes(b))).toBe(first);
}

describe('per-user undo', () => {
  it("undo in A reverts A's colour change and keeps B's concurrent move of the same shape", () => {
    const [a, b] = makePeers(2);
    const id = addShape(a, rect(0));
    syncAll([a, b]);
    const history = createHistory(a);
    updateShape(a, id, { style: { stroke: '#ff0000' } });
    moveShapes(b, [id], { x: 50, y: 25 });
    syncAll([a, b]);
    expect(history.undo()).toBe(true);
    syncAll([a, b]);
    expectConverged([a, b]);
    expect(getShape(b, id)).toMatchObject({ x: 50, y: 25, style: { stroke: '#1e293b' } });
    expect(history.redo()).toBe(true);
    syncAll([a, b]);
    expect(getShape(b, id)).toMatchObject({ x: 50, y: 25, style: { stroke: '#ff0000' } });
  });

  it("never undoes a peer's work: B's shape survives A undoing everything", () => {
    const [a, b] = makePeers(2);
    const history = createHistory(a);
    addShape(a, rect(0));
    const theirs = addShape(b, rect(200));
    syncAll([a, b]);
    while (history.undo());
    syncAll([a, b]);
    expectConverged([a, b]);
    expect(listShapes(a).map((s) => s.id)).toEqual([theirs]);
  });

  it('one drag (many writes inside a gesture) is one undo step; steps outside a gesture stay separate', () => {
    const [a] = makePeers(1);
    const history = createHistory(a);
    const id = addShape(a, rect(0));
    history.beginGesture();
    for (let i = 0; i < 30; i++) moveShapes(a, [id], { x: 1, y: 0 });
    history.endGesture();
    updateShape(a, id, { w: 10 });
    history.undo();
    expect(getShape(a, id)).toMatchObject({ x: 30, w: 100 });
    history.undo();
    expect(getShape(a, id)).toMatchObject({ x: 0 });
    history.undo();
    expect(getShape(a, id)).toBeNull();
    expect(history.canUndo()).toBe(false);
  });
});

describe('z-order', () => {
  it('forward/backward/front/back move one step or to the ends', () => {
    const [a] = makePeers(1);
    const [s1, s2, s3, s4] = [0, 1, 2, 3].map((i) => addShape(a, rect(i)));
    const order = () => listShapes(a).map((s) => s.id);
    bringForward(a, [s1]);
    expect(order()).toEqual([s2, s1, s3, s4]);
    sendBackward(a, [s4]);
    expect(order()).toEqual([s2, s1, s4, s3]);
    bringToFront(a, [s2, s1]);
    expect(order()).toEqual([s4, s3, s2, s1]);
    sendToBack(a, [s3, s1]);
    expect(order()).toEqual([s3, s1, s4, s2]);
  });

  it('concurrent reorders by two users converge to one order everywhere', () => {
    const peers = makePeers(3);
    const [a, b, c] = peers;
    const ids = [0, 1, 2, 3, 4].map((i) => addShape(a, rect(i)));
    syncAll(peers);
    bringToFront(a, [ids[0]]);
    bringToFront(b, [ids[1]]);
    sendToBack(c, [ids[4]]);
    bringForward(b, [ids[2]]);
    sendBackward(a, [ids[3]]);
    syncAll(peers);
    expectConverged(peers);
    const order = listShapes(c).map((s) => s.id);
    expect(new Set(order)).toEqual(new Set(ids));
    expect(order[0]).toBe(ids[4]);
  });
});

describe('arrow bindings', () => {
  it('a bound arrow end follows its target when another peer moves or resizes it', () => {
    const [a, b] = makePeers(2);
    const box = addShape(a, { type: 'rect', x: 300, y: 0, w: 100, h: 100, createdBy: 'A' });
    const arrow = addShape(a, {
      type: 'arrow', x: 0, y: 50, w: 300, h: 0, createdBy: 'A',
      points: [{ x: 0, y: 0 }, { x: 300, y: 0 }], end: { shapeId: box, anchor: { x: 0, y: 0.5 } },
    });
    syncAll([a, b]);
    moveShapes(b, [box], { x: 100, y: 200 });
    updateShape(b, box, { h: 300 });
    // meanwhile A restyles the arrow: different shape, merges cleanly
    updateShape(a, arrow, { style: { dash: 'dashed' } });
    syncAll([a, b]);
    expectConverged([a, b]);
    for (const peer of [a, b]) {
      const shape = getShape(peer, arrow)!;
      const pts = resolveLinePoints(shape, (id) => getShape(peer, id));
      expect(pts[1]).toEqual({ x: 400, y: 350 });
      expect(shape.style.dash).toBe('dashed');
    }
  });

  it('deleting the target unbinds the arrow where it was drawn; a concurrent peer delete renders unbound', () => {
    const [a, b] = makePeers(2);
    const box = addShape(a, { type: 'rect', x: 300, y: 0, w: 100, h: 100, createdBy: 'A' });
    const arrow = addShape(a, {
      type: 'arrow', x: 0, y: 50, w: 300, h: 0, createdBy: 'A', end: { shapeId: box, anchor: { x: 0, y: 0.5 } },
    });
    moveShapes(a, [box], { x: 0, y: 100 });
    syncAll([a, b]);
    deleteShapes(a, [box]);
    syncAll([a, b]);
    const shape = getShape(b, arrow)!;
    expect(shape.type === 'arrow' && shape.end).toBeNull();
    expect(resolveLinePoints(shape, (id) => getShape(b, id))[1]).toEqual({ x: 300, y: 150 });
    expectConverged([a, b]);
  });
});
