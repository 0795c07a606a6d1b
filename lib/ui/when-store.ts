/** Waiting on a zustand store: resolves with the first non-null value `pick` reads from its state. */
import type { StoreApi } from 'zustand';

/** Resolves at once if `pick` already finds a value; rejects with `timeoutMessage` after `timeoutMs`. */
export function whenStore<S, T>(store: StoreApi<S>, pick: (state: S) => T | null | undefined, timeoutMs: number, timeoutMessage: string): Promise<T> {
  const now = pick(store.getState());
  if (now !== null && now !== undefined) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(timeoutMessage));
    }, timeoutMs);
    const stop = store.subscribe((state) => {
      const value = pick(state);
      if (value === null || value === undefined) return;
      clearTimeout(timer);
      stop();
      resolve(value);
    });
  });
}
