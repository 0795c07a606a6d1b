/**
 * Owns the loaded rooms: one Room per board however many clients join, loaded once (joins during a
 * load share it), unloaded after the last client leaves and `roomIdleMs` passes, compacted on the
 * way out. Unloading and loading of the same board never overlap.
 *
 * With scale-out, `lifecycle` subscribes to the board's channel BEFORE it is read from storage
 * (so no other server's commit can fall between the read and the subscription) and hears of every
 * room that appears or goes away.
 */
import type { Logger } from '../logger';
import type { Storage } from '../persistence/storage';
import { FlushTicker } from './flush-ticker';
import { Room, type RoomPolicy } from './room';

/** Scale-out hooks around loading (server/scale/cluster-sync.ts). */
export interface RoomLifecycle {
  /** Before the board is read from storage. */
  beforeLoad(boardId: string): Promise<void>;
  /** The room exists (after a load), or the load failed (room = null). */
  loaded(boardId: string, room: Room | null): void;
  /** The room is gone (unloaded or dropped after a storage failure). */
  unloaded(room: Room): void;
}

/**
 * Version history's hooks (server/history/version-capture.ts); absent when storage keeps no
 * versions. They never reject: a failed capture is logged there, never thrown into the rooms.
 */
export interface RoomHistory {
  /** The room exists (it gets its edit listener here). */
  loaded(room: Room): void;
  /** The room's last user released it (its last peer left): a version if anything changed. */
  idle(room: Room): void;
  /** Before the room's final compaction (unload, graceful shutdown): a version if anything changed. */
  beforeUnload(room: Room): Promise<void>;
  /** The room is gone. */
  unloaded(room: Room): void;
}

interface Entry {
  room: Room;
  refs: number;
  idleTimer: NodeJS.Timeout | null;
}

/** How often presence is checked for states not renewed in time (as y-protocols: 3 s). */
const SWEEP_MS = 3_000;

export interface RegistryOptions extends RoomPolicy {
  roomIdleMs: number;
  lifecycle?: RoomLifecycle | null;
  history?: RoomHistory | null;
}

export class RoomRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly unloading = new Map<string, Promise<void>>();
  /** Shared by all rooms: one write transaction and one flush per event-loop turn. */
  private readonly ticker: FlushTicker;
  /** One presence sweep for all rooms (a timer per room was ~0.4 KB per loaded board); only while any is loaded. */
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly options: RegistryOptions,
    private readonly log: Logger,
  ) {
    this.ticker = new FlushTicker(storage, (err) => log.error({ err }, 'flush failed'), options.metrics, options.presenceWindowMs);
  }

  get loadedCount(): number {
    return this.entries.size;
  }

  isLoaded(boardId: string): boolean {
    return this.entries.has(boardId);
  }

  /** Returns the board's room, loading it if needed; pair every call with release(). */
  async acquire(boardId: string): Promise<Room> {
    for (;;) {
      const unloading = this.unloading.get(boardId);
      if (unloading) {
        await unloading;
        continue;
      }
      const entry = this.entries.get(boardId);
      if (entry) {
        entry.refs++;
        if (entry.idleTimer) clearTimeout(entry.idleTimer);
        entry.idleTimer = null;
        return entry.room;
      }
      let loading = this.loading.get(boardId);
      if (!loading) {
        loading = this.load(boardId).finally(() => this.loading.delete(boardId));
        this.loading.set(boardId, loading);
      }
      await loading;
    }
  }

  release(room: Room): void {
    const entry = this.entries.get(room.boardId);
    if (!entry || entry.room !== room) return; // already dropped (storage failure)
    entry.refs--;
    if (entry.refs > 0) return;
    this.options.history?.idle(room);
    entry.idleTimer = setTimeout(() => void this.unload(room.boardId), this.options.roomIdleMs);
    entry.idleTimer.unref();
  }

  /** The loaded rooms (scale-out polls them for missed updates). */
  rooms(): Room[] {
    return [...this.entries.values()].map((e) => e.room);
  }

  private async load(boardId: string): Promise<Room> {
    const started = performance.now();
    const lifecycle = this.options.lifecycle;
    let stored;
    try {
      await lifecycle?.beforeLoad(boardId);
      stored = await this.storage.load(boardId);
    } catch (err) {
      lifecycle?.loaded(boardId, null);
      throw err;
    }
    const room = new Room(boardId, stored, this.storage, this.options, this.log, (broken) => this.drop(broken), this.ticker);
    this.entries.set(boardId, { room, refs: 0, idleTimer: null });
    this.options.history?.loaded(room);
    if (!this.sweepTimer) {
      this.sweepTimer = setInterval(this.sweep, SWEEP_MS);
      this.sweepTimer.unref();
    }
    lifecycle?.loaded(boardId, room);
    this.log.info(
      {
        boardId,
        snapshotBytes: stored.snapshot?.byteLength ?? 0,
        tailUpdates: stored.updates.length,
        ms: Math.round(performance.now() - started),
      },
      'board loaded',
    );
    return room;
  }

  private readonly sweep = (): void => {
    if (this.entries.size === 0) {
      if (this.sweepTimer) clearInterval(this.sweepTimer);
      this.sweepTimer = null;
      return;
    }
    const now = Date.now();
    for (const entry of this.entries.values()) entry.room.sweepPresence(now);
  };

  private drop(room: Room): void {
    const entry = this.entries.get(room.boardId);
    if (!entry || entry.room !== room) return;
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    this.entries.delete(room.boardId);
    this.options.lifecycle?.unloaded(room);
    this.options.history?.unloaded(room);
    room.destroy();
  }

  private unload(boardId: string): Promise<void> {
    const entry = this.entries.get(boardId);
    if (!entry || entry.refs > 0) return Promise.resolve();
    this.entries.delete(boardId);
    const done = (async () => {
      try {
        await this.options.history?.beforeUnload(entry.room);
        await entry.room.compact();
        this.log.info({ boardId }, 'board unloaded');
      } catch (err) {
        // the log tail is still on disk; only the snapshot is missing
        this.log.error({ err, boardId }, 'compaction on unload failed');
      } finally {
        this.options.lifecycle?.unloaded(entry.room);
        this.options.history?.unloaded(entry.room);
        entry.room.destroy();
        this.unloading.delete(boardId);
      }
    })();
    this.unloading.set(boardId, done);
    return done;
  }

  /** Shutdown: waits for in-flight writes, takes the boards' last versions and compacts every loaded board. */
  async flushAll(): Promise<void> {
    await Promise.allSettled([...this.loading.values()]);
    const results = await Promise.allSettled(
      [...this.entries.values()].map(async (entry) => {
        if (entry.idleTimer) clearTimeout(entry.idleTimer);
        await this.options.history?.beforeUnload(entry.room);
        await entry.room.compact();
      }),
    );
    for (const r of results) if (r.status === 'rejected') this.log.error({ err: r.reason }, 'flush failed');
    await Promise.allSettled([...this.unloading.values()]);
  }

  destroyAll(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    for (const [boardId, entry] of this.entries) {
      if (entry.idleTimer) clearTimeout(entry.idleTimer);
      this.options.lifecycle?.unloaded(entry.room);
      this.options.history?.unloaded(entry.room);
      entry.room.destroy();
      this.entries.delete(boardId);
    }
  }
}
