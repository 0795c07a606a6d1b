import { describe, expect, it } from 'vitest';
import { boxesIntersect, type Box } from './box';
import { SpatialIndex } from './spatial-index';

/** Deterministic PRNG so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('SpatialIndex', () => {
  it('query equals brute force on random boxes through inserts, moves and removals', () => {
    const random = rng(42);
    const index = new SpatialIndex(128);
    const boxes = new Map<string, Box>();
    const randomBox = (): Box => {
      const big = random() < 0.02;
      return { x: (random() - 0.5) * 20_000, y: (random() - 0.5) * 20_000, w: random() * (big ? 20_000 : 400), h: random() * (big ? 20_000 : 400) };
    };
    for (let i = 0; i < 3000; i++) {
      const id = `s${i}`;
      const b = randomBox();
      boxes.set(id, b);
      index.set(id, b);
    }
    for (let i = 0; i < 1500; i++) {
      const id = `s${Math.floor(random() * 3000)}`;
      if (random() < 0.3) {
        boxes.delete(id);
        index.remove(id);
      } else {
        const b = randomBox();
        boxes.set(id, b);
        index.set(id, b);
      }
    }
    expect(index.size).toBe(boxes.size);
    for (let q = 0; q < 200; q++) {
      const view: Box = { x: (random() - 0.5) * 24_000, y: (random() - 0.5) * 24_000, w: random() * (q % 10 === 0 ? 30_000 : 3000), h: random() * 3000 };
      const expected = [...boxes].filter(([, b]) => boxesIntersect(b, view)).map(([id]) => id).sort();
      expect([...index.query(view)].sort()).toEqual(expected);
    }
  });
});
