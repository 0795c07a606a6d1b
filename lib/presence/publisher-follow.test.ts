import { describe, expect, it } from 'vitest';
import { encodePresence, MAX_SELECTION, parsePresence, type PresenceState } from './awareness';
import { activityOf, cameraForView, parsePresenceSettings, viewOf } from './follow';
import { PresencePublisher } from './publisher';

const BASE: PresenceState = {
  user: { name: 'Alice', color: '#e03131' },
  cursor: null,
  view: null,
  sel: [],
  act: 'active',
  spot: false,
  laser: false,
};

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

describe('presence wire format', () => {
  it('omits defaults, rounds numbers and round-trips through parsePresence', () => {
    const state: PresenceState = { ...BASE, cursor: { x: 1.23456, y: -7.891 }, view: { x: 0, y: 0, w: 1280.04, h: 720 } };
    const wire = encodePresence(state);
    expect(wire).toEqual({ user: BASE.user, cursor: { x: 1.2, y: -7.9 }, view: { x: 0, y: 0, w: 1280, h: 720 } });
    expect(JSON.stringify(wire).length).toBeLessThan(120);
    expect(parsePresence(wire)).toEqual({ ...state, cursor: { x: 1.2, y: -7.9 }, view: { x: 0, y: 0, w: 1280, h: 720 } });
    const all = parsePresence(encodePresence({ ...state, sel: ['a', 'b'], act: 'away', spot: true, laser: true }));
    expect(all).toMatchObject({ sel: ['a', 'b'], act: 'away', spot: true, laser: true });
  });

  it('drops malformed optional fields of an untrusted state and caps the selection', () => {
    const parsed = parsePresence({
      user: BASE.user,
      cursor: { x: 1, y: 2 },
      view: { x: 0, y: 0, w: -5, h: 10 },
      sel: ['ok', 42, 'bad id with spaces', ...Array.from({ length: 100 }, (_, i) => `s${i}`)],
      act: 'sleeping',
      spot: 'yes',
    });
    expect(parsed?.view).toBeNull();
    expect(parsed?.sel[0]).toBe('ok');
    expect(parsed?.sel.length).toBeLessThanOrEqual(MAX_SELECTION);
    expect(parsed?.act).toBe('active');
    expect(parsed?.spot).toBe(false);
  });
});

describe('PresencePublisher', () => {
  it('sends at most once per interval, with the latest state, and nothing when unchanged', () => {
    const clock = fakeClock();
    const sent: Record<string, unknown>[] = [];
    const pub = new PresencePublisher(BASE, (s) => sent.push(s), 10, clock.now, clock.timers);
    for (let i = 1; i <= 50; i++) {
      pub.update({ cursor: { x: i, y: i } }); // 50 pointer events within 50 ms
      clock.advance(1);
    }
    expect(sent).toHaveLength(1);
    clock.advance(100);
    expect(sent).toHaveLength(2);
    expect(sent[1].cursor).toEqual({ x: 50, y: 50 });
    // the same position again: nothing goes out
    pub.update({ cursor: { x: 50, y: 50 } });
    clock.advance(500);
    expect(sent).toHaveLength(2);
    pub.dispose();
  });

  it('clamps the rate to 5-30 Hz', () => {
    const clock = fakeClock();
    const sent: unknown[] = [];
    const pub = new PresencePublisher(BASE, (s) => sent.push(s), 1000, clock.now, clock.timers);
    for (let i = 0; i < 1000; i++) {
      pub.update({ cursor: { x: i, y: 0 } });
      clock.advance(1);
    }
    // 30 Hz over one second: about 30 sends, never one per event
    expect(sent.length).toBeGreaterThanOrEqual(29);
    expect(sent.length).toBeLessThanOrEqual(31);
  });
});

describe('follow maths', () => {
  it('shows the same board rectangle on a screen of the same size', () => {
    const leader = { x: -120, y: 40, zoom: 1.5 };
    const size = { width: 1200, height: 800 };
    const cam = cameraForView(viewOf(leader, size), size);
    expect(cam.zoom).toBeCloseTo(1.5);
    expect(cam.x).toBeCloseTo(-120);
    expect(cam.y).toBeCloseTo(40);
  });

  it('fits the leader view into a smaller screen, keeping its centre', () => {
    const view = { x: 0, y: 0, w: 1000, h: 500 };
    const cam = cameraForView(view, { width: 500, height: 500 });
    expect(cam.zoom).toBeCloseTo(0.5);
    const centre = viewOf(cam, { width: 500, height: 500 });
    expect(centre.x + centre.w / 2).toBeCloseTo(500);
    expect(centre.y + centre.h / 2).toBeCloseTo(250);
  });

  it('activity: away when hidden, idle after the threshold, else active', () => {
    expect(activityOf(0, 1000, false, 5000)).toBe('active');
    expect(activityOf(0, 5000, false, 5000)).toBe('idle');
    expect(activityOf(4999, 5000, true, 5000)).toBe('away');
  });

  it('reads URL settings with safe defaults', () => {
    expect(parsePresenceSettings(new URLSearchParams('interpolate=0&idleAfter=5000&presenceHz=20'))).toEqual({
      interpolate: false,
      hz: 20,
      idleAfterMs: 5000,
    });
    expect(parsePresenceSettings(new URLSearchParams('idleAfter=-1&presenceHz=abc'))).toEqual({
      interpolate: true,
      hz: null,
      idleAfterMs: 60_000,
    });
  });
});
