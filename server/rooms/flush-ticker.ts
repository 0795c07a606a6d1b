/**
 * The server's one "tick": every room that changed since the last event-loop turn is flushed
 * together in a setImmediate, i.e. after all socket reads of this turn were handled. So the busier
 * the server, the more each tick carries, and an idle server adds no delay.
 *
 * Per tick: each room's coalesced presence goes out at once; the document updates of ALL rooms are
 * written in ONE storage transaction and only then broadcast (THE PROMISE: what a client was sent
 * is on disk). Writes are chained, so batches commit and broadcast in the order they were taken.
 */
import type { Metrics } from '../metrics/metrics';
import type { Storage } from '../persistence/storage';

export interface BoardBatch {
  boardId: string;
  updates: Uint8Array[];
}

/** What a room exposes to the ticker. */
export interface Flushable {
  readonly boardId: string;
  /** Sends coalesced presence; returns the updates waiting to be persisted (taken), or null. */
  flush(): Uint8Array[] | null;
  /** The batch taken by flush() is durable; `lastSeq` is the seq of its last update. */
  committed(lastSeq: number): void;
  /** The batch taken by flush() could not be written. */
  writeFailed(err: unknown): void;
}

export class FlushTicker {
  private readonly due = new Set<Flushable>();
  private scheduled = false;
  private writing: Promise<void> = Promise.resolve();
  /** Rooms whose presence waits for its window -> when it is due (performance.now()); one timer for all. */
  private readonly deferred = new Map<Flushable, number>();
  private deferTimer: NodeJS.Timeout | null = null;
  /** When the pending deferTimer fires. */
  private deferTimerAt = Infinity;

  constructor(
    private readonly storage: Storage,
    /** A bug in a room's commit handling; logged, and the chain goes on for the other batches. */
    private readonly onError: (err: unknown) => void,
    private readonly metrics: Metrics | null = null,
    /** Presence of one room goes out at most once per this many ms (0 = every tick). */
    readonly presenceWindowMs = 0,
  ) {}

  schedule(room: Flushable): void {
    this.due.add(room);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.run);
  }

  /**
   * Flush `room` again at `dueAt` (performance.now() time; default: one window from now). The one
   * timer fires at the earliest due time: a timer armed for another room's window used to flush a
   * room before its own window ended, which then waited a whole further window (up to 2x).
   */
  later(room: Flushable, dueAt: number = performance.now() + this.presenceWindowMs): void {
    const known = this.deferred.get(room);
    if (known === undefined || dueAt < known) this.deferred.set(room, dueAt);
    if (dueAt < this.deferTimerAt) this.arm(dueAt);
  }

  private arm(at: number): void {
    if (this.deferTimer) clearTimeout(this.deferTimer);
    this.deferTimerAt = at;
    this.deferTimer = setTimeout(this.fireDeferred, Math.max(0, at - performance.now()));
  }

  private readonly fireDeferred = (): void => {
    this.deferTimer = null;
    this.deferTimerAt = Infinity;
    // timers fire up to ~1 ms early or late; what is due within a millisecond goes now
    const now = performance.now() + 1;
    let next = Infinity;
    for (const [room, due] of this.deferred) {
      if (due <= now) {
        this.deferred.delete(room);
        this.schedule(room);
      } else if (due < next) next = due;
    }
    if (next !== Infinity) this.arm(next);
  };

  private readonly run = (): void => {
    this.scheduled = false;
    const rooms: Flushable[] = [];
    const batches: BoardBatch[] = [];
    for (const room of this.due) {
      const updates = room.flush();
      if (updates) {
        rooms.push(room);
        batches.push({ boardId: room.boardId, updates });
      }
    }
    this.due.clear();
    if (batches.length === 0) return;
    this.writing = this.writing.then(() => this.write(rooms, batches)).catch(this.onError);
  };

  private async write(rooms: Flushable[], batches: BoardBatch[]): Promise<void> {
    let seqs: number[];
    const started = performance.now();
    try {
      seqs = this.storage.appendBatch
        ? await this.storage.appendBatch(batches)
        : await Promise.all(batches.map((b) => this.storage.appendUpdates(b.boardId, b.updates)));
    } catch (err) {
      // one transaction: if it failed, none of these boards' updates are on disk
      for (const room of rooms) room.writeFailed(err);
      return;
    }
    this.metrics?.persistSeconds.observe((performance.now() - started) / 1000);
    for (let i = 0; i < rooms.length; i++) rooms[i].committed(seqs[i]);
  }
}
