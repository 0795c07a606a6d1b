/**
 * "N changes not yet saved to the server", from the server's own answers, not a guess.
 *
 * The sync server processes a connection's frames strictly in order and answers a sync step 1
 * with its step 2 only once everything it has applied is on disk (server/rooms/room.ts,
 * session.ts). So a step 2 that answers OUR step 1 proves that every frame we sent on that
 * connection before that step 1 is durable. That is a plain y-websocket exchange (a stock
 * provider with `resyncInterval` sends the same step 1s), it covers deletions (which a state
 * vector alone cannot show) and it costs the server nothing while we have nothing pending.
 *
 * Bookkeeping: every local change gets a sequence number. Per connection, each step 1 we send
 * is remembered with the highest change it covers, or null if we have not uploaded our state on
 * this connection yet (our step 2 answering the server's step 1 carries every change made while
 * offline or in an earlier page load). Step 2s come back in the order of our step 1s, so the
 * oldest remembered mark is the one a step 2 acknowledges.
 */
import { isSyncFrame, SyncType } from '../protocol/messages';

export interface PendingOptions {
  /** Changes from an earlier page load not known to be saved (see board-session's storage). */
  carried?: number;
  /** Minimum time between two probes of ours (ms); more on big boards. */
  probeIntervalMs?: number;
  /** Wait after a local change before probing, so a drag's burst is acknowledged once (ms). */
  probeDelayMs?: number;
  /**
   * Transactions this close together count as one change (a drag writes one per frame), as long as
   * no probe went out in between (its answer must not cover a later transaction). 0 = each counts.
   */
  groupWithinMs?: number;
}

export class PendingChanges {
  private seq: number;
  private acked = 0;
  /** Marks of our step 1s not yet answered on the current connection, oldest first. */
  private marks: (number | null)[] = [];
  private uploaded = false;
  private open = false;
  private lastProbeAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<(count: number) => void>();
  private readonly probeIntervalMs: number;
  /** Grows with the size of the server's answers (see received()). */
  private intervalMs: number;
  private readonly probeDelayMs: number;
  private readonly groupWithinMs: number;
  private lastChangeAt = -Infinity;
  /** seq when our last step 1 went out: changes up to it can no longer absorb new transactions. */
  private probedSeq = -1;
  /** Sends a step 1 on the current connection; set by the transport while one is open. */
  private sendProbe: (() => void) | null = null;

  constructor(options: PendingOptions = {}) {
    this.seq = options.carried ?? 0;
    this.probeIntervalMs = options.probeIntervalMs ?? 1_000;
    this.intervalMs = this.probeIntervalMs;
    this.probeDelayMs = options.probeDelayMs ?? 250;
    this.groupWithinMs = options.groupWithinMs ?? 500;
  }

  get count(): number {
    return this.seq - this.acked;
  }

  /** The current minimum time between probes (ms). */
  get probeInterval(): number {
    return this.intervalMs;
  }

  /** A change made on this page (not one received from the server or restored from local storage). */
  localChange(): void {
    const now = Date.now();
    const grouped = now - this.lastChangeAt < this.groupWithinMs && this.probedSeq < this.seq && this.seq > this.acked;
    this.lastChangeAt = now;
    if (!grouped) {
      this.seq++;
      this.emit();
    }
    this.schedule(this.probeDelayMs);
  }

  /** A connection opened; `probe` sends a step 1 on it. */
  connectionOpened(probe: () => void): void {
    this.open = true;
    this.uploaded = false;
    this.marks = [];
    this.sendProbe = probe;
  }

  connectionClosed(): void {
    this.open = false;
    this.uploaded = false;
    this.marks = [];
    this.sendProbe = null;
    this.clearTimer();
  }

  /** Every frame we send on the open connection, in order. */
  sent(frame: Uint8Array): void {
    if (isSyncFrame(frame, SyncType.Step1)) {
      this.marks.push(this.uploaded ? this.seq : null);
      this.probedSeq = this.seq;
    }
    else if (isSyncFrame(frame, SyncType.Step2) && !this.uploaded) {
      this.uploaded = true;
      this.schedule(0);
    }
  }

  /** Every frame the server sends on the open connection, in order. */
  received(frame: Uint8Array): void {
    if (!isSyncFrame(frame, SyncType.Step2)) return;
    const mark = this.marks.shift();
    if (mark !== undefined && mark !== null) {
      // The answer always carries the board's whole delete set (~40 KB and ~3 ms of server time
      // for 10,000 moved shapes): on big boards probe less often, ~1 s per 10 KB, at most 10 s.
      this.intervalMs = Math.min(Math.max(this.probeIntervalMs, frame.byteLength / 10), Math.max(this.probeIntervalMs, 10_000));
      if (mark > this.acked) {
        this.acked = mark;
        this.emit();
      }
    }
    this.schedule(0);
  }

  onChange(cb: (count: number) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  dispose(): void {
    this.clearTimer();
    this.listeners.clear();
    this.sendProbe = null;
  }

  /** Probes when there is something unacknowledged, no probe is unanswered, and not too often. */
  private schedule(delayMs: number): void {
    if (!this.open || !this.uploaded || this.count === 0 || this.timer) return;
    if (this.marks.some((m) => m !== null)) return; // the answer to the outstanding probe comes first
    const wait = Math.max(delayMs, this.lastProbeAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.open || !this.uploaded || this.count === 0 || !this.sendProbe) return;
      if (this.marks.some((m) => m !== null)) return;
      this.lastProbeAt = Date.now();
      this.sendProbe();
    }, Math.max(0, wait));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private emit(): void {
    const n = this.count;
    for (const cb of this.listeners) cb(n);
  }
}
