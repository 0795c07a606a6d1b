/**
 * One accepted WebSocket on its upgraded net.Socket: reads frames (FrameParser), answers pings,
 * runs the close handshake, writes frames. Subclassed by the transport's Connection so that a
 * connection is ONE object; the socket's listeners are shared functions that find it through a
 * symbol property (no closures per socket).
 *
 * Close handshake: after we send a close frame the socket gets a deadline; ONE shared timer
 * destroys the sockets whose peer neither answered nor went away by then (no timer per socket).
 * Meanwhile the parser only looks for the peer's close frame (payloads are skipped, not kept).
 *
 * A handler that throws while this socket's bytes are handled fails this socket (onHandlerError,
 * 1011), never the process: the listeners run outside any caller that could catch it.
 */
import type { Duplex } from 'node:stream';
import { FrameParser } from './frame-parser';
import { closeFrame, writeBinary, writePing, writePong } from './frame-writer';

const kPeer = Symbol('websocket');

/**
 * Milliseconds since this module loaded: a small integer (a V8 Smi, stored in the field itself for
 * ~24 days of uptime) where Date.now() would be a boxed double per field per connection.
 */
const EPOCH = Date.now();
export const clock = (): number => Date.now() - EPOCH;
type TaggedSocket = Duplex & { [kPeer]?: WebSocketPeer };

export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;

/** How long a peer gets to answer our close frame before its socket is destroyed. */
export const CLOSE_TIMEOUT_MS = 5_000;
const SWEEP_MS = 250;

/** Sockets that sent a close frame and wait for the peer: swept by one timer while non-empty. */
const closing = new Set<WebSocketPeer>();
let sweeper: NodeJS.Timeout | null = null;

function sweep(): void {
  const now = clock();
  for (const peer of closing) if (now >= peer.closeDeadline) peer.terminate();
  if (closing.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = null;
  }
}

function onData(this: TaggedSocket, chunk: Buffer): void {
  this[kPeer]?.received(chunk);
}

function failed(peer: WebSocketPeer, err: unknown): void {
  try {
    peer.handlerFailed(err);
  } catch {
    // reporting failed too: at least this socket goes
    peer.terminate();
  }
}

function onEnd(this: TaggedSocket): void {
  // http sockets allow half-open: answer the peer's FIN with ours
  this.end();
}

function onClose(this: TaggedSocket): void {
  const peer = this[kPeer];
  if (!peer) return;
  try {
    peer.socketClosed();
  } catch (err) {
    failed(peer, err);
  }
}

export abstract class WebSocketPeer extends FrameParser {
  readyState = OPEN;
  private closeSent = false;
  private closeReceived = false;
  /** clock() after which a closing socket is destroyed. */
  closeDeadline = 0;
  /** What onClosed reports: the peer's code, else ours, else 1006 (abnormal). */
  private closeCode = 1006;
  private closeReason = '';

  constructor(
    protected readonly socket: Duplex,
    maxPayload: number,
  ) {
    super(maxPayload);
    (socket as TaggedSocket)[kPeer] = this;
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onClose);
  }

  /** The socket is gone (after a close handshake or not). */
  protected abstract onClosed(code: number, reason: string): void;
  /** Something threw while this socket's bytes or close were handled: report it (the socket is failed after). */
  protected abstract onHandlerError(err: unknown): void;

  /** Bytes queued in the socket that the peer has not read yet. */
  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  /** Starts reading; `head` is what the HTTP parser read past the upgrade request. */
  start(head: Buffer): void {
    if (head.length > 0) this.received(head);
  }

  received(chunk: Buffer): void {
    try {
      this.parse(chunk);
    } catch (err) {
      failed(this, err);
    }
  }

  /** For a peer that floods the close wait: read nothing more, and end our side once our close frame is out. */
  stopReading(): void {
    this.stopInput();
    this.socket.end();
  }

  /** A handler threw: the rest of the read is lost, so framing is too. Stop reading, report, close with 1011. */
  handlerFailed(err: unknown): void {
    this.stopInput();
    this.onHandlerError(err);
    this.closeWith(1011, 'internal error');
    this.socket.end();
  }

  sendBinary(payload: Uint8Array): void {
    if (this.readyState === OPEN) writeBinary(this.socket, payload);
  }

  ping(): void {
    if (this.readyState === OPEN) writePing(this.socket);
  }

  /** Sends our close frame; the socket ends when the peer answers, or is destroyed after timeoutMs. */
  closeWith(code: number, reason: string, timeoutMs = CLOSE_TIMEOUT_MS): void {
    if (this.closeSent || this.readyState === CLOSED) return;
    this.closeSent = true;
    this.readyState = CLOSING;
    if (!this.closeReceived) {
      this.closeCode = code;
      this.closeReason = reason;
    }
    this.discardInput();
    this.socket.write(closeFrame(code, reason));
    if (this.closeReceived) this.socket.end();
    this.arm(timeoutMs);
  }

  terminate(): void {
    this.socket.destroy();
  }

  private arm(timeoutMs: number): void {
    this.closeDeadline = clock() + timeoutMs;
    closing.add(this);
    sweeper ??= setInterval(sweep, SWEEP_MS).unref();
  }

  socketClosed(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    closing.delete(this);
    (this.socket as TaggedSocket)[kPeer] = undefined;
    this.onClosed(this.closeCode, this.closeReason);
  }

  protected onPing(data: Uint8Array): void {
    if (this.readyState === OPEN) writePong(this.socket, data);
  }

  protected onCloseFrame(code: number, reason: string): void {
    this.closeReceived = true;
    this.closeCode = code;
    this.closeReason = reason;
    if (this.closeSent) {
      // the handshake is complete: the server closes the TCP connection first (RFC 6455 7.1.1)
      this.socket.end();
      return;
    }
    // echo the peer's code
    this.closeWith(code, '');
  }

  protected onProtocolError(code: number, reason: string): void {
    if (this.closeSent) {
      this.socket.end();
      return;
    }
    this.closeWith(code, reason);
    // fail the connection: don't wait for the peer's answer (we no longer parse it)
    this.socket.end();
  }
}
