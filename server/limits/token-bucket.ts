/**
 * Per-connection rate limits (GCRA: token-bucket decisions, two numbers of state). The state
 * catches up lazily from the clock when a frame arrives, so an idle connection costs no timer and no work.
 */
export interface RateLimitConfig {
  rateLimitMessagesPerSec: number;
  rateLimitBytesPerSec: number;
  maxMessageBytes: number;
}

/** Seconds of traffic a fresh or idle connection may send at once (initial sync, reconnect upload). */
const BURST_SECONDS = 2;

/** A WebSocket frame header at its largest (64-bit length and mask): the WebSocket transport charges headers too. */
const MAX_HEADER_BYTES = 14;

/** Per-connection rate state: the "theoretical arrival time" (ms) of each limit (GCRA); 0 = full burst available. */
export interface RateState {
  msgTat: number;
  byteTat: number;
}

/**
 * Messages and bytes per connection as GCRA: the same decisions as two token buckets, but the state
 * is two numbers the caller keeps on its own connection object (no limiter objects per idle socket).
 */
export class RateLimits {
  private readonly msPerMessage: number;
  private readonly msPerByte: number;
  private readonly messageBurstMs: number;
  private readonly byteBurstMs: number;

  constructor(config: RateLimitConfig) {
    this.msPerMessage = 1000 / config.rateLimitMessagesPerSec;
    this.msPerByte = 1000 / config.rateLimitBytesPerSec;
    this.messageBurstMs = BURST_SECONDS * 1000;
    // one maximum-size frame (an offline client's catch-up upload) must always fit, with its header
    this.byteBurstMs = Math.max(BURST_SECONDS * 1000, (config.maxMessageBytes + MAX_HEADER_BYTES) * this.msPerByte);
  }

  /** Returns null if allowed (and charges `state`), else which limit was hit. */
  admit(state: RateState, frameBytes: number, now: number = performance.now()): 'messages' | 'bytes' | null {
    const msgTat = Math.max(state.msgTat, now) + this.msPerMessage;
    if (msgTat - now > this.messageBurstMs + EPSILON_MS) return 'messages';
    state.msgTat = msgTat;
    const byteTat = Math.max(state.byteTat, now) + frameBytes * this.msPerByte;
    if (byteTat - now > this.byteBurstMs + EPSILON_MS) return 'bytes';
    state.byteTat = byteTat;
    return null;
  }
}

/** Float slack so a burst of exactly the capacity is not refused by rounding. */
const EPSILON_MS = 1e-6;

/** Messages and bytes for one connection, as its own object (the HTTP fallback's sessions). */
export class ConnectionRateLimiter implements RateState {
  msgTat = 0;
  byteTat = 0;
  private readonly limits: RateLimits;

  constructor(config: RateLimitConfig) {
    this.limits = new RateLimits(config);
  }

  /** Returns null if allowed, else which limit was hit. */
  admit(frameBytes: number, now: number = performance.now()): 'messages' | 'bytes' | null {
    return this.limits.admit(this, frameBytes, now);
  }
}
