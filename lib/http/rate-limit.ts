/**
 * Token buckets per key (pure; time is passed in). A bucket holds up to `perHour` tokens and refills
 * continuously at `perHour` an hour, so a client may spend its hour's quota in a burst, then one
 * every 3600/perHour s.
 */

export type Take = { ok: true } | { ok: false; retryAfterS: number };

type Bucket = { tokens: number; at: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly perHour: number,
    /** Keys remembered at most; past it the longest-unused go (a forgotten key starts full again). */
    private readonly maxKeys = 10_000,
  ) {
    if (!(perHour > 0) || !Number.isFinite(perHour)) throw new Error(`perHour must be a positive number, got ${perHour}`);
    this.perMs = perHour / 3_600_000;
  }

  /** Spends one token of `key` at `now` (ms), or says how many seconds until one is available. */
  take(key: string, now: number): Take {
    const old = this.buckets.get(key);
    const elapsed = old ? Math.max(0, now - old.at) : 0;
    const tokens = old ? Math.min(this.perHour, old.tokens + elapsed * this.perMs) : this.perHour;
    this.buckets.delete(key); // re-inserted below: Map order is then least recently used first
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)) };
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    return { ok: true };
  }

  /** Gives back a token taken for a request that then failed for reasons not the client's. */
  refund(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.perHour, bucket.tokens + 1);
  }

  get size(): number {
    return this.buckets.size;
  }
}

/**
 * A positive integer quota from the environment, `fallback` when unset; "0" means no limit (null).
 * Anything else is a configuration error, reported with the variable's name.
 */
export function quotaFromEnv(name: string, raw: string | undefined, fallback: number): number | null {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number (0 = no limit), got "${raw}"`);
  return value === 0 ? null : value;
}
