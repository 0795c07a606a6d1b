/**
 * Binds one connection to its board: frames are processed strictly in order, and those arriving
 * while the board loads wait in the same queue. Nothing thrown here escapes to the socket.
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

export function openSession(registry: RoomRegistry, boardId: string, peer: Peer, log: Logger): Session {
  const roomReady: Promise<Room | null> = registry.acquire(boardId).then(
    (room) => {
      if (peer.closed) {
        registry.release(room);
        return null;
      }
      room.join(peer);
      return room;
    },
    (err: unknown) => {
      log.error({ err, boardId, conn: peer.id }, 'board failed to load');
      peer.close(1011, 'board failed to load');
      return null;
    },
  );
  let queue: Promise<void> = roomReady.then(() => undefined);
  let rejected = false;

  // Frames that arrived before the socket closed are still handled: a client that edits and
  // leaves at once must not lose the edit. The room ignores awareness from peers that left.
  const handle = async (frame: Uint8Array, receivedAt: number): Promise<void> => {
    const room = await roomReady;
    if (!room || rejected) return;
    try {
      await room.receive(peer, frame, receivedAt);
    } catch (err) {
      rejected = true;
      if (err instanceof MalformedMessageError) {
        log.warn({ boardId, conn: peer.id, reason: err.message, bytes: frame.byteLength }, 'malformed message');
        peer.close(err.closeCode, err.closeReason);
      } else {
        log.error({ err, boardId, conn: peer.id }, 'message handling failed');
        peer.close(1011, 'internal error');
      }
    }
  };

  return {
    receive(frame) {
      const receivedAt = performance.now();
      queue = queue.then(() => handle(frame, receivedAt));
    },
    closed() {
      void roomReady.then((room) => room?.leave(peer));
      // keep the room acquired until queued frames are handled
      void queue.then(async () => {
        const room = await roomReady;
        if (room) registry.release(room);
      });
    },
    drained: () => queue,
  };
}
