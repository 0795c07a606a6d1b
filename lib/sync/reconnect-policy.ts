/**
 * Reconnect timing on top of y-websocket's own backoff (which has no jitter, so every client a
 * restarting server dropped would come back in the same few milliseconds).
 *
 * Each connection attempt first waits `delay()`: "full jitter", a uniform pick in
 * [0, min(cap, base * 2^failures)). The failure count resets once a connection synced. `wake()`
 * ends the wait at once (the browser came back online, the tab became visible). While the browser
 * says it is offline the wait is at least `offlineRetryMs`, since attempts would only fail.
 */

export interface ReconnectOptions {
  baseMs?: number;
  capMs?: number;
  offlineRetryMs?: number;
  random?: () => number;
}

type Waiter = { timer: ReturnType<typeof setTimeout>; resolve: () => void };

export class ReconnectPolicy {
  private failures = 0;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly offlineRetryMs: number;
  private readonly random: () => number;
  private waiter: Waiter | null = null;
  private listeners = new Set<() => void>();
  /** When the pending attempt starts (ms since epoch), or null when none is waiting. */
  retryAt: number | null = null;

  constructor(options: ReconnectOptions = {}) {
    this.baseMs = options.baseMs ?? 1_000;
    this.capMs = options.capMs ?? 10_000;
    this.offlineRetryMs = options.offlineRetryMs ?? 30_000;
    this.random = options.random ?? Math.random;
  }

  /** The wait before the next attempt; the first attempt of a session (no failure yet) goes at once. */
  delay(online = true): number {
    if (!online) return this.offlineRetryMs;
    if (this.failures === 0) return 0;
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.failures - 1, 20));
    return Math.floor(this.random() * ceiling);
  }

  failed(): void {
    this.failures++;
  }

  succeeded(): void {
    this.failures = 0;
  }

  get failureCount(): number {
    return this.failures;
  }

  /** Waits `ms` unless woken first; only one wait at a time (a new one replaces the old). */
  wait(ms: number): Promise<void> {
    this.cancel();
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        if (this.waiter?.resolve !== done) return;
        clearTimeout(this.waiter.timer);
        this.waiter = null;
        this.setRetryAt(null);
        resolve();
      };
      this.waiter = { timer: setTimeout(done, ms), resolve: done };
      this.setRetryAt(Date.now() + ms);
    });
  }

  /** Starts the waiting attempt now. */
  wake(): void {
    this.waiter?.resolve();
  }

  /** Drops the wait without resolving it (the attempt was abandoned). */
  cancel(): void {
    if (!this.waiter) return;
    clearTimeout(this.waiter.timer);
    this.waiter = null;
    this.setRetryAt(null);
  }

  get waiting(): boolean {
    return this.waiter !== null;
  }

  /** Calls cb when retryAt changes; returns the unsubscribe. */
  onChange(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private setRetryAt(at: number | null): void {
    this.retryAt = at;
    for (const cb of this.listeners) cb();
  }
}
