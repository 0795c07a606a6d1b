/**
 * How much work uploads may cause at once: a queue that runs at most N image jobs (sharp decodes
 * whole images; two at a time keeps peak memory bounded on a small machine), a per-address upload
 * rate (GCRA, a minute's worth of burst), and a per-id lock so two uploads of the same bytes
 * cannot interleave their store and collect steps.
 */

export class JobQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly concurrency: number) {}

  /** Jobs queued or running (tests, metrics). */
  get size(): number {
    return this.running + this.waiting.length;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await job();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/** Entries whose allowance is full again are dropped when the map grows past this. */
const SWEEP_AT = 10_000;

export class UploadRateLimiter {
  private readonly tat = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly burstMs = 60_000;

  constructor(perMinute: number) {
    this.intervalMs = 60_000 / perMinute;
  }

  /** 0 if `key` may upload now (and charges it), else the seconds until it may. */
  take(key: string, now: number = Date.now()): number {
    const next = Math.max(this.tat.get(key) ?? 0, now) + this.intervalMs;
    if (next - now > this.burstMs) return Math.max(1, Math.ceil((next - now - this.burstMs) / 1000));
    this.tat.set(key, next);
    if (this.tat.size > SWEEP_AT) this.sweep(now);
    return 0;
  }

  private sweep(now: number): void {
    for (const [key, tat] of this.tat) if (tat <= now) this.tat.delete(key);
  }
}

/** Runs `fn` for one key at a time (others with the same key wait their turn). */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async with<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => {});
    this.tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  held(key: string): boolean {
    return this.tails.has(key);
  }
}
