import { describe, expect, it } from 'vitest';
import { encodePresence, parsePresence } from './awareness';
import { throttle } from './throttle';
import { cleanName, colorForName, randomName, USER_COLORS } from './user';

describe('user identity', () => {
  it('cleans names: trims, strips control characters, bounds the length', () => {
    expect(cleanName('  Alice \n')).toBe('Alice');
    expect(cleanName('\u0007')).toBeNull();
    expect(cleanName(42)).toBeNull();
    expect(cleanName('x'.repeat(100))).toHaveLength(32);
  });

  it('derives a stable colour from the palette', () => {
    expect(colorForName('Alice')).toBe(colorForName('Alice'));
    expect(USER_COLORS).toContain(colorForName('Bob'));
  });

  it('makes friendly two-word names', () => {
    expect(randomName(() => 0)).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
  });
});

describe('parsePresence (untrusted awareness states)', () => {
  it('accepts a well-formed state', () => {
    expect(parsePresence({ user: { name: 'Alice', color: '#e03131' }, cursor: { x: 1, y: 2 } })).toEqual({
      user: { name: 'Alice', color: '#e03131' },
      cursor: { x: 1, y: 2 },
      view: null,
      sel: [],
      act: 'active',
      spot: false,
      laser: false,
    });
  });

  it('carries the note being edited, and drops a malformed note id', () => {
    const user = { name: 'A', color: '#e03131' };
    expect(parsePresence({ user, note: 'n_1' })?.note).toBe('n_1');
    expect(parsePresence({ user, note: '<img onerror=x>' })).not.toHaveProperty('note');
    expect(parsePresence({ user, note: 42 })).not.toHaveProperty('note');
    const state = parsePresence({ user, note: 'n_1' })!;
    expect(encodePresence(state).note).toBe('n_1');
    expect(encodePresence({ ...state, note: undefined })).not.toHaveProperty('note');
  });

  it('drops bad cursors but keeps the user, and rejects bad users', () => {
    expect(parsePresence({ user: { name: 'A', color: '#e03131' }, cursor: { x: 'NaN', y: 1 } })?.cursor).toBeNull();
    expect(parsePresence({ user: { name: 'A', color: 'red;background:url(x)' } })).toBeNull();
    expect(parsePresence({ user: { name: '', color: '#e03131' } })).toBeNull();
    expect(parsePresence(null)).toBeNull();
    expect(parsePresence('hello')).toBeNull();
  });
});

describe('throttle', () => {
  function fakeClock() {
    let t = 0;
    const queue: { at: number; cb: () => void; id: number }[] = [];
    let next = 1;
    return {
      now: () => t,
      timers: {
        set: (cb: () => void, ms: number) => {
          queue.push({ at: t + ms, cb, id: next });
          return next++;
        },
        clear: (h: unknown) => {
          const i = queue.findIndex((q) => q.id === h);
          if (i >= 0) queue.splice(i, 1);
        },
      },
      advance(ms: number) {
        t += ms;
        for (const q of [...queue].filter((q) => q.at <= t)) {
          queue.splice(queue.indexOf(q), 1);
          q.cb();
        }
      },
    };
  }

  it('runs the first call at once and collapses a burst into one trailing call with the last value', () => {
    const clock = fakeClock();
    const calls: number[] = [];
    const f = throttle((n: number) => calls.push(n), 50, clock.now, clock.timers);
    f(1);
    f(2);
    f(3);
    expect(calls).toEqual([1]);
    clock.advance(50);
    expect(calls).toEqual([1, 3]);
    clock.advance(100);
    f(4);
    expect(calls).toEqual([1, 3, 4]);
  });

  it('cancel drops the pending trailing call', () => {
    const clock = fakeClock();
    const calls: number[] = [];
    const f = throttle((n: number) => calls.push(n), 50, clock.now, clock.timers);
    f(1);
    f(2);
    f.cancel();
    clock.advance(100);
    expect(calls).toEqual([1]);
  });
});
