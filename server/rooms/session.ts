/**
 * Binds one connection to its board: frames are processed strictly in order, and those arriving
 * while the board loads wait in the same queue. Nothing thrown here escapes to the socket.
 *
 * Idle connections are the common case (thousands per server), so an idle session holds no
 * promise chain and no closures: one object with the room, and a backlog only while a frame is
 * being handled or the board is loading.
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
  /** Frames and their receive times, interleaved; only while loading or running. */
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
    return (this.running = this.pump(room));
  }

  receive(frame: Uint8Array): void {
    // after closed() the room may already be released
    if (this.stopped || this.left) return;
    const receivedAt = performance.now();
    if (this.backlog) {
      this.backlog.push(frame, receivedAt);
      return;
    }
    this.backlog = [frame, receivedAt];
    if (this.room) this.running = this.pump(this.room);
  }

  /** Handles the backlog in order (frames may arrive meanwhile), then drops it. */
  private async pump(room: Room): Promise<void> {
    const backlog = this.backlog ?? [];
    for (let i = 0; i < backlog.length && !this.stopped; i += 2) {
      const frame = backlog[i] as Uint8Array;
      try {
        await room.receive(this.peer, frame, backlog[i + 1] as number);
      } catch (err) {
        this.stopped = true;
        if (err instanceof MalformedMessageError) {
          this.log.warn({ boardId: this.boardId, conn: this.peer.id, reason: err.message, bytes: frame.byteLength }, 'malformed message');
          this.peer.close(err.closeCode, err.closeReason);
        } else {
          this.log.error({ err, boardId: this.boardId, conn: this.peer.id }, 'message handling failed');
          this.peer.close(1011, 'internal error');
        }
      }
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
    // keep the room acquired until queued frames are handled (pump releases it)
    if (!this.running) this.registry.release(room);
  }

  drained(): Promise<void> {
    return this.running ?? this.loading ?? RESOLVED;
  }
}

export function openSession(registry: RoomRegistry, boardId: string, peer: Peer, log: Logger): Session {
  return new BoardSession(registry, boardId, peer, log);
}
