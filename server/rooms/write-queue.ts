/**
 * A room's updates between apply and disk: the open batch (filled until the next tick), batches
 * handed to the ticker and not yet committed (oldest first), and whoever waits for all of it to
 * be written. The room decides what to send when; this only keeps the order and the waiters.
 */
import type { Peer } from './room-types';

/** Updates applied since the last tick, waiting to be written together. */
export interface Batch {
  updates: Uint8Array[];
  /** null: a server change, sent to every peer (no one already has it). */
  origins: (Peer | null)[];
  receivedAt: number[];
  done: Promise<void>;
  resolve: () => void;
}

function newBatch(): Batch {
  let resolve: () => void = () => {};
  const done = new Promise<void>((r) => (resolve = r));
  return { updates: [], origins: [], receivedAt: [], done, resolve };
}

export class WriteQueue {
  private open: Batch | null = null;
  private readonly inFlight: Batch[] = [];
  private idleWaiters: (() => void)[] = [];

  /** Adds to the open batch; resolves once that batch is written (or abandoned). */
  add(updates: Uint8Array[], origin: Peer | null, receivedAt: number): Promise<void> {
    const batch = (this.open ??= newBatch());
    for (const u of updates) {
      batch.updates.push(u);
      batch.origins.push(origin);
      batch.receivedAt.push(receivedAt);
    }
    return batch.done;
  }

  /** Something will go out with the next tick. */
  get hasOpenBatch(): boolean {
    return this.open !== null;
  }

  /** Some applied update is not yet written. */
  get busy(): boolean {
    return this.open !== null || this.inFlight.length > 0;
  }

  /** Ticker: the open batch is being written now. */
  take(): Batch | null {
    const batch = this.open;
    if (!batch) return null;
    this.open = null;
    this.inFlight.push(batch);
    return batch;
  }

  /** The oldest in-flight batch finished writing (committed or failed); settle it after use. */
  shift(): Batch | undefined {
    return this.inFlight.shift();
  }

  settle(batch: Batch): void {
    batch.resolve();
    if (!this.busy) this.wakeIdleWaiters();
  }

  /** Resolves when nothing applied is unwritten. */
  whenIdle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Storage failed: release every waiter; none of these updates was written or sent. */
  abandon(): void {
    for (const b of this.inFlight.splice(0)) b.resolve();
    this.open?.resolve();
    this.open = null;
    this.wakeIdleWaiters();
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
