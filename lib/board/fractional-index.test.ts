import { describe, expect, it } from 'vitest';
import { compareIndex, isIndexKey, keyBetween } from './fractional-index';

/** Deterministic pseudo-random source so failures reproduce. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('keyBetween', () => {
  it('produces valid keys strictly between its bounds', () => {
    const random = seeded(1);
    const cases: [string | null, string | null][] = [
      [null, null], ['V', null], [null, 'V'], ['1', '2'], ['1', '11'], ['A', 'A1'], ['zz', null], [null, '01'],
      ['0z', '1'], ['Vz', 'W01'],
    ];
    for (const [a, b] of cases) {
      for (let i = 0; i < 50; i++) {
        const k = keyBetween(a, b, random);
        expect(isIndexKey(k), `${k} valid`).toBe(true);
        if (a !== null) expect(k > a, `${k} > ${a}`).toBe(true);
        if (b !== null) expect(k < b, `${k} < ${b}`).toBe(true);
      }
    }
  });

  it('keeps inserting between neighbours without running out', () => {
    const random = seeded(2);
    let lo: string | null = null;
    let hi: string | null = null;
    const keys: string[] = [];
    for (let i = 0; i < 200; i++) {
      const k = keyBetween(lo, hi, random);
      keys.push(k);
      if (i % 2 === 0) lo = k;
      else hi = k;
    }
    expect([...keys].sort()).toEqual([...new Set(keys)].sort());
    expect(keys.every((k) => (lo === null || k <= lo) || (hi === null || k >= hi))).toBe(true);
  });

  it('appending 500 keys stays ordered and short', () => {
    const keys: string[] = [];
    let last: string | null = null;
    for (let i = 0; i < 500; i++) keys.push((last = keyBetween(last, null)));
    expect([...keys].sort()).toEqual(keys);
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThan(40);
  });

  it('gives two users inserting at the same spot different keys', () => {
    const a = keyBetween('A', 'B', seeded(10));
    const b = keyBetween('A', 'B', seeded(11));
    expect(a).not.toBe(b);
  });

  it('rejects malformed or out-of-order bounds', () => {
    expect(() => keyBetween('B', 'A')).toThrow(/out of order/);
    expect(() => keyBetween('A0', null)).toThrow(/invalid/);
    expect(() => keyBetween('', null)).toThrow(/invalid/);
    expect(() => keyBetween('a b', null)).toThrow(/invalid/);
  });

  it('keeps keys short across 20,000 appends on top (every new shape)', () => {
    let top: string | null = null;
    for (let i = 0; i < 20_000; i++) {
      const next = keyBetween(top, null);
      if (top !== null) expect(next > top).toBe(true);
      top = next;
    }
    expect(top!.length).toBeLessThanOrEqual(8);
  });

  it('breaks exact ties by id', () => {
    const x = { index: 'V', id: 'a' };
    const y = { index: 'V', id: 'b' };
    expect([y, x].sort(compareIndex)).toEqual([x, y]);
  });
});
