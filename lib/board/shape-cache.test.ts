import { describe, expect, it } from 'vitest';
import { addShape, deleteShapes, moveShapes, updateShape } from './ops';
import { bringToFront } from './ops-order';
import { listShapes, observeShapes } from './read';
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

  it('reports whether anything visible changed', () => {
    const [board] = makePeers(1);
    const cache = new ShapeCache();
    cache.reset(board);
    expect(cache.apply(board, ['nope'])).toBe(false);
    const id = addShape(board, { type: 'rect', x: 0, y: 0, w: 1, h: 1, createdBy: 'u' });
    expect(cache.apply(board, [id])).toBe(true);
    expect(cache.get(id)?.w).toBe(1);
  });
});
