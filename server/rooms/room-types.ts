/**
 * The contracts around a Room: what it needs from a connection (Peer), its policy, the scale-out
 * hooks it calls, the error that closes a connection, and the per-tick write batch.
 */
import { CloseCode } from '../../lib/protocol/close-codes';
import type { Metrics } from '../metrics/metrics';

/** Origin of updates that came from another server (never re-persisted, never re-published). */
export const REMOTE_ORIGIN = { source: 'remote-server' } as const;

/** Origin of changes the server makes itself (a restore): persisted like a client's, sent to every peer. */
export const SERVER_ORIGIN = { source: 'server' } as const;

/**
 * Told of every change that lands in a room's doc (server/history decides from it when to take a
 * version and who edited since the last one). Called once per applied update: keep it cheap.
 */
export interface EditListener {
  /** `peer` is the local client that sent it; null for another server's commit or a server change. */
  edited(peer: Peer | null): void;
}

/** What the scale-out hooks are handed: the Room itself (an interface here, so this file imports no Room). */
export interface ReplicatedRoom {
  readonly boardId: string;
}

/** Scale-out hooks (server/scale/cluster-sync.ts); absent when the server runs alone. */
export interface RoomReplication {
  /** The room's batch got seqs firstSeq..firstSeq+n-1 and is durable: tell the other servers. */
  committed(room: ReplicatedRoom, firstSeq: number, updates: readonly Uint8Array[]): void;
  /** Presence of this server's clients changed (awareness update bytes). */
  presenceChanged(room: ReplicatedRoom, update: Uint8Array): void;
  /** False once the server has stopped sending heartbeats (crashed, cut off or shut down). */
  serverAlive(serverId: string): boolean;
}

/** A connection as the room sees it; the transport implements it. */
export interface Peer {
  readonly id: string;
  readonly closed: boolean;
  /**
   * Opened with a view link: its document writes are dropped by the room after decoding (never by a
   * transport looking at raw bytes, which other encodings of the same message would get past).
   */
  readonly viewer: boolean;
  /** Display name from the connection's token (version history lists who edited). */
  readonly name: string;
  /**
   * `reply`: the frame answers the peer's own request (sync step 2), so its size is not counted
   * as the peer falling behind (a big board's step 2 alone can exceed the backlog bound).
   */
  send(frame: Uint8Array, reply?: boolean): void;
  close(code: number, reason: string): void;
}

export interface CompactionPolicy {
  compactAfterUpdates: number;
  compactAfterBytes: number;
}

export interface RoomPolicy extends CompactionPolicy {
  maxBoardBytes: number;
  /** Coalescing window for presence: one awareness message per room per window (0 = per tick). */
  presenceWindowMs: number;
  maxAwarenessStateBytes: number;
  metrics?: Metrics | null;
  replication?: RoomReplication | null;
}

/** A frame that must close its connection; the session closes with `closeCode`. */
export class MalformedMessageError extends Error {
  constructor(
    message: string,
    readonly closeCode: number = CloseCode.MalformedMessage,
    readonly closeReason: string = 'malformed message',
  ) {
    super(message);
  }
}
