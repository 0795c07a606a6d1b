/**
 * One WebSocket connection as the room sees it (a Peer) plus its liveness and rate state, in ONE
 * object; and the per-turn cork/uncork that makes a room flush leave as one writev per peer.
 */
import type { Duplex } from 'node:stream';
import { CloseCode } from '../../lib/protocol/close-codes';
import type { RateState } from '../limits/token-bucket';
import type { ErrorKind, Metrics } from '../metrics/metrics';
import type { Peer } from '../rooms/room';
import type { Session } from '../rooms/session';
import { clock, WebSocketPeer } from './websocket/socket';

/** What the transport does with a connection's events: one object shared by every connection. */
export interface ConnectionEvents {
  /**
   * Every frame as its header arrives (before its payload is kept): `frameBytes` on the wire incl.
   * header, `messageBytes` its message so far (0 for control frames). Rate limits and the message
   * size cap close the connection from here.
   */
  frame(conn: Connection, frameBytes: number, messageBytes: number): void;
  message(conn: Connection, data: Uint8Array, binary: boolean): void;
  closed(conn: Connection, code: number, reason: string): void;
  protocolError(conn: Connection, code: number, reason: string): void;
  /** A handler threw while this connection's bytes were handled; the connection is closed with 1011 after. */
  failed(conn: Connection, err: unknown): void;
}

/** Settings and sinks shared by every connection of a transport (one field per connection, not four). */
export interface ConnectionContext {
  readonly events: ConnectionEvents;
  /** Unsent bytes before a peer counts as slow. */
  readonly maxBufferedBytes: number;
  readonly metrics: Metrics | null;
}

// booleans of a connection packed in one integer field (8 bytes per field per idle socket)
const CLOSED = 1;
const SENT = 2;
const AWAITING_PONG = 4;
const CORKED = 8;
const VIEWER = 16;

/** Close codes that mean "this client did something wrong", for the errors metric (4413s are counted where detected, by cause). */
const ERROR_KIND_BY_CLOSE: ReadonlyMap<number, ErrorKind> = new Map<number, ErrorKind>([
  [CloseCode.MalformedMessage, 'malformed'],
  [CloseCode.RateLimited, 'rate_limited'],
  [1011, 'internal'],
]);

/** Sockets corked during this turn; uncorked together in the check phase, after the turn and its promise continuations. */
const corked: Connection[] = [];
function uncorkAll(): void {
  for (const peer of corked) peer.uncork();
  corked.length = 0;
}

/** After a 4508 close, how long the close frame gets to reach a client before the socket is destroyed. */
const SLOW_CLIENT_GRACE_MS = 1_000;

/**
 * Everything one socket needs, in ONE object: the room's Peer, liveness, rate-limit state, its
 * session and what to release on close, and (by inheritance) the WebSocket's parser and close state.
 * Idle sockets are most of a server's sockets, so there are no per-connection closures or limiter
 * objects (the socket listeners are shared, see websocket/socket.ts).
 */
export class Connection extends WebSocketPeer implements Peer, RateState {
  private flags = 0;
  /** clock() of the last heartbeat tick that saw a send (set from `sent`: no clock read per frame). */
  lastSentAt = clock();
  lastPingAt = 0;
  msgTat = 0;
  byteTat = 0;
  /** Unsent bytes tolerated before the peer counts as slow: maxBufferedBytes, plus a sync reply in flight. */
  private backlogLimit: number;
  session: Session | null = null;
  /** Set once admitted: the address the admission caps counted (undone on close). */
  admittedIp: string | null = null;
  /** Display name from the token (the grant's string, shared: no copy per connection). */
  name = '';

  constructor(
    private readonly num: number,
    socket: Duplex,
    readonly boardId: string | null,
    /** Hard cap of one message (1009 above it); frames above config.maxMessageBytes get 4413 from the transport. */
    maxPayload: number,
    private readonly ctx: ConnectionContext,
  ) {
    super(socket, maxPayload);
    this.backlogLimit = ctx.maxBufferedBytes;
  }

  private flag(bit: number, on: boolean): void {
    this.flags = on ? this.flags | bit : this.flags & ~bit;
  }

  get closed(): boolean {
    return (this.flags & CLOSED) !== 0;
  }
  set closed(on: boolean) {
    this.flag(CLOSED, on);
  }
  /** Set on every send; the heartbeat tick turns it into lastSentAt. */
  get sent(): boolean {
    return (this.flags & SENT) !== 0;
  }
  set sent(on: boolean) {
    this.flag(SENT, on);
  }
  get awaitingPong(): boolean {
    return (this.flags & AWAITING_PONG) !== 0;
  }
  set awaitingPong(on: boolean) {
    this.flag(AWAITING_PONG, on);
  }
  private get corked(): boolean {
    return (this.flags & CORKED) !== 0;
  }
  private set corked(on: boolean) {
    this.flag(CORKED, on);
  }
  get viewer(): boolean {
    return (this.flags & VIEWER) !== 0;
  }
  set viewer(on: boolean) {
    this.flag(VIEWER, on);
  }

  protected onFrame(frameBytes: number, messageBytes: number): void {
    this.ctx.events.frame(this, frameBytes, messageBytes);
  }

  protected onMessage(data: Uint8Array, binary: boolean): void {
    this.ctx.events.message(this, data, binary);
  }

  protected onPing(data: Uint8Array): void {
    // a pong is queued like any send: not past the backlog bound (a ping flood from a peer that
    // doesn't read would otherwise grow it without limit)
    if (!this.closed && !this.overBacklog(this.socket.writableLength)) super.onPing(data);
  }

  protected onPong(): void {
    this.awaitingPong = false;
  }

  protected onClosed(code: number, reason: string): void {
    this.closed = true;
    this.ctx.events.closed(this, code, reason);
  }

  protected onHandlerError(err: unknown): void {
    this.closed = true;
    this.ctx.events.failed(this, err);
  }

  protected onProtocolError(code: number, reason: string): void {
    this.closed = true;
    this.ctx.events.protocolError(this, code, reason);
    super.onProtocolError(code, reason);
  }

  protected onCloseFrame(code: number, reason: string): void {
    // the peer is leaving: nothing more goes to it
    this.closed = true;
    super.onCloseFrame(code, reason);
  }

  /** Built on demand (logs only): a stored string would cost every idle socket. */
  get id(): string {
    return `c${this.num}`;
  }

  get remote(): string | undefined {
    return (this.socket as Duplex & { remoteAddress?: string }).remoteAddress;
  }

  /** Closes a peer whose unsent backlog passed its bound (4508); true if it did. */
  private overBacklog(buffered: number): boolean {
    if (buffered <= this.backlogLimit) return false;
    this.ctx.metrics?.error('slow_client');
    this.closed = true;
    // the close frame queues behind the backlog the client isn't reading: free it soon
    this.closeWith(CloseCode.SlowClient, 'client too slow', SLOW_CLIENT_GRACE_MS);
    return true;
  }

  send(frame: Uint8Array, reply = false): void {
    if (this.closed) return;
    const buffered = this.socket.writableLength;
    if (this.overBacklog(buffered)) return;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      // setImmediate, not nextTick: a tick's presence goes out synchronously but its edits only after
      // the storage write's promise settles; both must leave in the same writev (one syscall per peer)
      if (corked.push(this) === 1) setImmediate(uncorkAll);
    }
    if (buffered <= this.ctx.maxBufferedBytes) {
      this.backlogLimit = this.ctx.maxBufferedBytes;
      // A joiner's step 2 of a big board is a backlog by itself: without this allowance the next
      // cursor update would drop every joiner of a 5 MB board as "slow" before it has read 5 MB.
      // Only for a peer that is keeping up, so repeated step 1s can't grow it without bound.
      if (reply) this.backlogLimit = buffered + frame.byteLength + this.ctx.maxBufferedBytes;
    }
    this.sent = true;
    this.ctx.metrics?.frameOut(frame);
    this.sendBinary(frame);
  }

  uncork(): void {
    this.corked = false;
    this.socket.uncork();
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    const kind = ERROR_KIND_BY_CLOSE.get(code);
    if (kind) this.ctx.metrics?.error(kind);
    this.closeWith(code, reason);
  }
}

