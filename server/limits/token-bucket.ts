/**
 * Per-connection rate limits. Buckets refill lazily from the clock when a frame arrives, so an
 * idle connection costs no timer and no work.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly capacity: number,
    now: number = performance.now(),
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  /** Takes `cost` tokens if available; false means the caller is over its limit. */
  take(cost: number, now: number = performance.now()): boolean {
    const elapsed = now - this.updatedAt;
    if (elapsed > 0) {
      this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.ratePerSec) / 1000);
      this.updatedAt = now;
    }
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
}

export interface RateLimitConfig {
  rateLimitMessagesPerSec: number;
  rateLimitBytesPerSec: number;
  maxMessageBytes: number;
}

/** Seconds of traffic a fresh or idle connection may send at once (initial sync, reconnect upload). */
const BURST_SECONDS = 2;

/** Messages and bytes for one connection. */
export class ConnectionRateLimiter {
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;

  constructor(config: RateLimitConfig, now: number = performance.now()) {
    this.messages = new TokenBucket(config.rateLimitMessagesPerSec, config.rateLimitMessagesPerSec * BURST_SECONDS, now);
    // one maximum-size frame (an offline client's catch-up upload) must always fit
    const byteCapacity = Math.max(config.rateLimitBytesPerSec * BURST_SECONDS, config.maxMessageBytes);
    this.bytes = new TokenBucket(config.rateLimitBytesPerSec, byteCapacity, now);
  }

  /** Returns null if allowed, else which limit was hit. */
  admit(frameBytes: number, now: number = performance.now()): 'messages' | 'bytes' | null {
    if (!this.messages.take(1, now)) return 'messages';
    if (!this.bytes.take(frameBytes, now)) return 'bytes';
    return null;
  }
}
