/**
 * Leading + trailing throttle: the first call runs at once, later calls within `ms` collapse into
 * one trailing call with the latest arguments (so the final cursor position is always sent).
 * Clock and timers are injectable for tests.
 */
export type Throttled<A extends unknown[]> = ((...args: A) => void) & { cancel: () => void };

export function throttle<A extends unknown[]>(
  fn: (...args: A) => void,
  ms: number,
  now: () => number = Date.now,
  timers: { set: (cb: () => void, ms: number) => unknown; clear: (handle: unknown) => void } = {
    set: (cb, t) => setTimeout(cb, t),
    clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  },
): Throttled<A> {
  let last = -Infinity;
  let pending: A | null = null;
  let handle: unknown = null;
  const run = (args: A) => {
    last = now();
    fn(...args);
  };
  const throttled = (...args: A) => {
    const wait = last + ms - now();
    if (wait <= 0 && handle === null) {
      run(args);
      return;
    }
    pending = args;
    if (handle === null) {
      handle = timers.set(() => {
        handle = null;
        if (pending) {
          const next = pending;
          pending = null;
          run(next);
        }
      }, Math.max(0, wait));
    }
  };
  throttled.cancel = () => {
    if (handle !== null) timers.clear(handle);
    handle = null;
    pending = null;
  };
  return throttled;
}
