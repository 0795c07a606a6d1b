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
  /** Rooms whose presence waits for its window; one timer for all of them. */
  private readonly deferred = new Set<Flushable>();
  private deferTimer: NodeJS.Timeout | null = null;

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

  /** Flush `room` again once the presence window has passed. */
  later(room: Flushable): void {
    this.deferred.add(room);
    if (this.deferTimer) return;
    this.deferTimer = setTimeout(() => {
      this.deferTimer = null;
      for (const r of this.deferred) this.schedule(r);
      this.deferred.clear();
    }, this.presenceWindowMs);
  }

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
