import { describe, expect, it } from 'vitest';
import { addShape, deleteShapes, moveShapes, updateShape } from './ops';
import { bringToFront } from './ops-order';
import { boxesIntersect, shapeBounds } from './shape-geometry';
import { getShape, listShapes, observeShapes } from './read';
import type { ShapeId } from './schema';
import { ShapeCache } from './shape-cache';
import { makePeers, syncAll } from './test-helpers';

/** Deterministic pseudo-random source so failures reproduce. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('ShapeCache', () => {
  it('stays equal to a full read while peers add, move, restyle, reorder and delete', () => {
    const random = seeded(7);
    const [a, b] = makePeers(2);
    const cache = new ShapeCache();
    cache.reset(b);
    const stop = observeShapes(b, ({ ids }) => cache.apply(b, ids));
    const ids: ShapeId[] = [];
    for (let step = 0; step < 300; step++) {
      const actor = random() < 0.5 ? a : b;
      const pick = () => ids[Math.floor(random() * ids.length)];
      const r = random();
      if (ids.length === 0 || r < 0.3) ids.push(addShape(actor, { type: 'rect', x: step, y: step, w: 10, h: 10, createdBy: 'u' }));
      else if (r < 0.55) moveShapes(actor, [pick()], { x: 1, y: -1 });
      else if (r < 0.7) updateShape(actor, pick(), { style: { fill: 'solid', stroke: '#ff0000' }, w: 20 });
      else if (r < 0.85) bringToFront(actor, [pick()]);
      else deleteShapes(actor, [pick()]);
      if (random() < 0.4) syncAll([a, b]);
      expect(cache.list()).toEqual(listShapes(b));
    }
    stop();
  });

  it('its spatial query equals a brute-force bounds scan, with bound arrows following moved targets', () => {
    const random = seeded(11);
    const [a, b] = makePeers(2);
    const cache = new ShapeCache();
    cache.reset(b);
    const stop = observeShapes(b, ({ ids }) => cache.apply(b, ids));
    const ids: ShapeId[] = [];
    for (let step = 0; step < 250; step++) {
      const actor = random() < 0.5 ? a : b;
      const pick = () => ids[Math.floor(random() * ids.length)];
      const r = random();
      const x = (random() - 0.5) * 4000;
      const y = (random() - 0.5) * 4000;
      if (ids.length < 2 || r < 0.3) ids.push(addShape(actor, { type: random() < 0.5 ? 'rect' : 'ellipse', x, y, w: 40, h: 30, rotation: random(), createdBy: 'u' }));
      else if (r < 0.45 && actor.shapes.has(pick())) {
        const target = pick();
        if (actor.shapes.has(target)) ids.push(addShape(actor, { type: 'arrow', x, y, w: 10, h: 10, end: { shapeId: target, anchor: { x: 0.5, y: 0.5 } }, createdBy: 'u' }));
      } else if (r < 0.8) moveShapes(actor, [pick()], { x: (random() - 0.5) * 800, y: (random() - 0.5) * 800 });
      else deleteShapes(actor, [pick()]);
      if (random() < 0.5) syncAll([a, b]);
      const view = { x: (random() - 0.5) * 4000, y: (random() - 0.5) * 4000, w: random() * 2000, h: random() * 2000 };
      const lookup = (id: string) => getShape(b, id);
      const expected = listShapes(b).filter((s) => boxesIntersect(shapeBounds(s, lookup), view));
      expect(cache.query(view)).toEqual(expected);
    }
    stop();
  });

  it('reports whether anything visible changed', () => {
    const [board] = makePeers(1);
    const cache = new ShapeCache();
    cache.reset(board);
    expect(cache.apply(board, ['nope'])).toBe(false);
    const id = addShape(board, { type: 'rect', x: 0, y: 0, w: 1, h: 1, createdBy: 'u' });
    expect(cache.apply(board, [id])).toBe(true);
    expect(cache.get(id)?.w).toBe(1);
  });

  it('takes a bulk sync (the initial load) in one full read, equal to a full read', () => {
    const [a, b] = makePeers(2);
    const cache = new ShapeCache();
    cache.reset(b);
    const stop = observeShapes(b, ({ ids }) => cache.apply(b, ids));
    addShape(b, { type: 'rect', x: -50, y: -50, w: 10, h: 10, createdBy: 'b' }); // b's own shape survives the bulk read
    a.doc.transact(() => {
      for (let i = 0; i < 1500; i++) addShape(a, { type: 'rect', x: i * 20, y: 0, w: 10, h: 10, index: `a${String(i).padStart(4, '0')}1`, createdBy: 'a' });
    });
    syncAll([a, b]);
    expect(cache.size).toBe(1501);
    expect(cache.list()).toEqual(listShapes(b));
    expect(cache.query({ x: 995, y: 0, w: 30, h: 10 }).map((s) => s.x)).toEqual([1000, 1020]);
    stop();
  });
});
