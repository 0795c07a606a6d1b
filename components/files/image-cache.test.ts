import { describe, expect, it } from 'vitest';
import type { FileId, FileVariantSize } from '@/lib/files/file-contract';
import { ImageCache, type LoadResult } from './image-cache';

const id = (c: string) => c.repeat(64) as FileId;

/** A stand-in for ImageBitmap: sizes and whether close() was called. */
class FakeBitmap {
  closed = false;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {}
  close() {
    this.closed = true;
  }
}

function rig(budget = 1_000_000) {
  let t = 0;
  let frames = 0;
  const loads: [FileId, FileVariantSize | undefined][] = [];
  const pending: ((r: LoadResult) => void)[] = [];
  const cache = new ImageCache(
    (fileId, variant) => {
      loads.push([fileId, variant]);
      return new Promise((resolve) => pending.push(resolve));
    },
    () => frames++,
    budget,
    () => t,
  );
  const bitmap = (w: number, h: number) => new FakeBitmap(w, h) as unknown as ImageBitmap;
  const settle = async (r: LoadResult) => {
    pending.shift()!(r);
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { cache, loads, settle, bitmap, frames: () => frames, advance: (ms: number) => (t += ms) };
}

describe('ImageCache', () => {
  it('loads the variant sharp at the drawn size once, then draws it and asks for a frame', async () => {
    const r = rig();
    expect(r.cache.lookup(id('a'), 4000, 200)).toBeNull();
    expect(r.cache.lookup(id('a'), 4000, 200)).toBeNull(); // one load in flight, not two
    expect(r.loads).toEqual([[id('a'), 256]]);
    const b = r.bitmap(256, 128);
    await r.settle({ bitmap: b });
    expect(r.frames()).toBe(1);
    expect(r.cache.lookup(id('a'), 4000, 200)).toBe(b);
    expect(r.cache.isLoaded(id('a'))).toBe(true);
  });

  it('draws a loaded variant while a sharper one loads', async () => {
    const r = rig();
    r.cache.lookup(id('a'), 4000, 200);
    const small = r.bitmap(256, 128);
    await r.settle({ bitmap: small });
    expect(r.cache.lookup(id('a'), 4000, 900)).toBe(small); // zoomed in: 1024 wanted, 256 shown meanwhile
    expect(r.loads.at(-1)).toEqual([id('a'), 1024]);
  });

  it('evicts the least recently drawn bitmaps over budget and closes them', async () => {
    const r = rig(3 * 100 * 100 * 4);
    const bitmaps: FakeBitmap[] = [];
    for (const c of ['a', 'b', 'c', 'd']) {
      r.cache.lookup(id(c), 100, 100);
      const b = r.bitmap(100, 100);
      bitmaps.push(b as unknown as FakeBitmap);
      await r.settle({ bitmap: b });
      r.advance(10);
    }
    expect(bitmaps.map((b) => b.closed)).toEqual([true, false, false, false]);
    expect(r.cache.memory()).toBe(3 * 100 * 100 * 4);
    expect(r.cache.isLoaded(id('a'))).toBe(false);
  });

  it('closes bitmaps not drawn for a while of drawing (out of view), not after idle time', async () => {
    const r = rig();
    r.cache.lookup(id('a'), 100, 100);
    const b = r.bitmap(100, 100);
    await r.settle({ bitmap: b });
    // idle (no frames) for a minute: nothing is closed
    r.advance(60_000);
    r.cache.lookup(id('b'), 100, 100);
    expect((b as unknown as FakeBitmap).closed).toBe(false);
    // 20 s of frames that draw other images: closed
    for (let i = 0; i < 100; i++) {
      r.advance(200);
      r.cache.lookup(id('b'), 100, 100);
    }
    expect((b as unknown as FakeBitmap).closed).toBe(true);
    expect(r.cache.memory()).toBe(0);
  });

  it('loads at most six at once, the newest request first', async () => {
    const r = rig();
    const files = 'abcdefghij'.split('');
    for (const c of files) r.cache.lookup(id(c), 100, 100);
    expect(r.loads.map(([f]) => f)).toEqual(files.slice(0, 6).map(id));
    await r.settle({ bitmap: r.bitmap(10, 10) });
    expect(r.loads.at(-1)).toEqual([id('j'), undefined]);
  });

  it('keeps what an idle canvas shows: no frames is not out of view', async () => {
    const r = rig();
    r.cache.lookup(id('a'), 100, 100);
    const b = r.bitmap(100, 100);
    await r.settle({ bitmap: b });
    r.cache.lookup(id('a'), 100, 100); // drawn in the last frame before going idle
    r.advance(60_000);
    expect(r.cache.lookup(id('a'), 100, 100)).toBe(b);
    expect((b as unknown as FakeBitmap).closed).toBe(false);
  });

  it('asks again later for a file the server does not have yet', async () => {
    const r = rig();
    r.cache.lookup(id('a'), 100, 100);
    await r.settle({ missing: true });
    r.cache.lookup(id('a'), 100, 100);
    expect(r.loads).toHaveLength(1); // too soon
    r.advance(300); // soon, though: another user's paste is usually uploaded within a second
    r.cache.lookup(id('a'), 100, 100);
    expect(r.loads).toHaveLength(2);
    r.cache.dispose();
  });
});
