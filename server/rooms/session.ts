/**
 * Binds one connection to its board: frames are processed strictly in order, and those arriving
 * while the board loads wait in the same queue. Nothing thrown here escapes to the socket.
 *
 * Idle connections are the common case (thousands per server), so an idle session holds no
 * promise chain and no closures: one object with the room, and a backlog only while a frame waits
 * (an update for disk, a step 1 for what is unwritten) or the board is loading. Presence frames
 * with nothing queued ahead are handled synchronously, without a promise.
 */
import type { Logger } from '../logger';
import { MalformedMessageError, type Peer, type Room } from './room';
import type { RoomRegistry } from './room-registry';

export interface Session {
  receive(frame: Uint8Array): void;
  /** Call once when the socket has closed. */
  closed(): void;
  /** Resolves when every frame received so far has been handled. */
  drained(): Promise<void>;
}

const RESOLVED: Promise<void> = Promise.resolve();

class BoardSession implements Session {
  private room: Room | null = null;
  /** Set while the board loads; settles once the frames that waited for it are handled. */
  private loading: Promise<void> | null;
  /** Set while frames are being handled; settles when the backlog is empty. */
  private running: Promise<void> | null = null;
  /** Frames and their receive times, interleaved; only while loading or running (non-null = pump owns the room's release). */
  private backlog: (Uint8Array | number)[] | null = null;
  /** A frame was refused or the board failed to load: later frames are dropped. */
  private stopped = false;
  private left = false;

  constructor(
    private readonly registry: RoomRegistry,
    private readonly boardId: string,
    private readonly peer: Peer,
    private readonly log: Logger,
  ) {
    this.loading = registry.acquire(boardId).then(
      (room) => this.onLoaded(room),
      (err: unknown) => {
        this.loading = null;
        this.backlog = null;
        this.stopped = true;
        log.error({ err, boardId, conn: peer.id }, 'board failed to load');
        peer.close(1011, 'board failed to load');
      },
    );
  }

  private onLoaded(room: Room): Promise<void> {
    this.loading = null;
    if (this.peer.closed || this.left) {
      this.backlog = null;
      this.stopped = true;
      this.registry.release(room);
      return RESOLVED;
    }
    this.room = room;
    room.join(this.peer);
    if (!this.backlog) return RESOLVED;
    const done = this.pump(room);
    // the backlog may have been handled synchronously already (then pump has cleared it)
    return this.backlog ? (this.running = done) : done;
  }

  receive(frame: Uint8Array): void {
    // after closed() the room may already be released
    if (this.stopped || this.left) return;
    const receivedAt = performance.now();
    if (this.backlog) {
      this.backlog.push(frame, receivedAt);
      return;
    }
    if (!this.room) {
      this.backlog = [frame, receivedAt]; // still loading
      return;
    }
    // Nothing queued ahead: handle it now. Presence (and a step 1 with nothing unwritten) is done
    // synchronously; only a frame that must wait starts a backlog, which later frames queue behind.
    const waiting = this.handle(this.room, frame, receivedAt);
    if (waiting) {
      this.backlog = [];
      this.running = this.pump(this.room, waiting);
    }
  }

  /** Hands one frame to the room; a promise if it is still being handled. Never rejects/throws. */
  private handle(room: Room, frame: Uint8Array, receivedAt: number): Promise<void> | undefined {
    try {
      const waiting = room.receive(this.peer, frame, receivedAt);
      return waiting?.catch((err: unknown) => this.refused(err, frame));
    } catch (err) {
      this.refused(err, frame);
      return undefined;
    }
  }

  private refused(err: unknown, frame: Uint8Array): void {
    this.stopped = true;
    if (err instanceof MalformedMessageError) {
      this.log.warn({ boardId: this.boardId, conn: this.peer.id, reason: err.message, bytes: frame.byteLength }, 'malformed message');
      this.peer.close(err.closeCode, err.closeReason);
    } else {
      this.log.error({ err, boardId: this.boardId, conn: this.peer.id }, 'message handling failed');
      this.peer.close(1011, 'internal error');
    }
  }

  /** Waits for `first` (if any), then handles the backlog in order (frames may arrive meanwhile), then drops it. */
  private async pump(room: Room, first?: Promise<void>): Promise<void> {
    if (first) await first;
    const backlog = this.backlog ?? [];
    for (let i = 0; i < backlog.length && !this.stopped; i += 2) {
      const waiting = this.handle(room, backlog[i] as Uint8Array, backlog[i + 1] as number);
      if (waiting) await waiting;
    }
    this.backlog = null;
    this.running = null;
    if (this.left) this.registry.release(room);
  }

  // Frames that arrived before the socket closed are still handled: a client that edits and
  // leaves at once must not lose the edit. The room ignores awareness from peers that left.
  closed(): void {
    if (this.left) return;
    this.left = true;
    const room = this.room;
    // still loading: onLoaded sees peer.closed and releases the room
    if (!room) return;
    room.leave(this.peer);
    // keep the room acquired until queued frames are handled (pump releases it); a refused frame
    // can close the peer from inside pump before `running` is set, so ask the backlog
    if (!this.backlog) this.registry.release(room);
  }

  drained(): Promise<void> {
    return this.running ?? this.loading ?? RESOLVED;
  }
}

export function openSession(registry: RoomRegistry, boardId: string, peer: Peer, log: Logger): Session {
  return new BoardSession(registry, boardId, peer, log);
}
