/**
 * The WebSocket class handed to y-websocket's provider (`WebSocketPolyfill`), so the provider stays
 * stock while this adds, per connection attempt:
 *   - a jittered wait first (reconnect-policy.ts), woken early by `online` / `visibilitychange`;
 *   - a real WebSocket, and if that cannot open (a proxy refusing the upgrade, a timeout), the
 *     HTTP fallback (http-fallback-socket.ts) to the same room; while on the fallback a WebSocket is
 *     tried now and then, and once one opens the fallback connection is closed so the provider
 *     reconnects over WebSocket;
 *   - the frame bookkeeping behind the "not yet saved" count (pending-changes.ts).
 */
import { isSyncFrame, SyncType } from '../protocol/messages';
import { encodeSyncStep1, fallbackUrl } from './frames';
import { HttpFallbackSocket, type SocketCloseEvent } from './http-fallback-socket';
import type { PendingChanges } from './pending-changes';
import type { ReconnectPolicy } from './reconnect-policy';

export type TransportKind = 'websocket' | 'http';

/** The part of the browser WebSocket this file uses (also satisfied by HttpFallbackSocket). */
interface InnerSocket {
  readyState: number;
  binaryType: string;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: ArrayBuffer }) => void) | null;
  onclose: ((event: SocketCloseEvent) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: Uint8Array | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
}

export type InnerSocketClass = new (url: string, protocols?: string | string[]) => InnerSocket;

export interface SyncSocketContext {
  policy: ReconnectPolicy;
  pending: PendingChanges;
  /** The local document's state vector (for the pending-changes probe). */
  stateVector: () => Uint8Array;
  isOnline: () => boolean;
  /** Which transport the open connection uses; null while none is open. */
  onTransport: (kind: TransportKind | null) => void;
  /** Browser WebSocket (or the `ws` package in Node tests). */
  WebSocketImpl: InnerSocketClass;
  /** A WebSocket that has not opened by then counts as blocked. */
  connectTimeoutMs?: number;
  /** While on the fallback, how often a WebSocket is tried again. */
  websocketRetryMs?: number;
}

/** The page closes its socket with this when the browser goes offline (transient: 3000-3999 are the app's). */
export const OFFLINE_CLOSE = { code: 3000, reason: 'browser offline' } as const;

export function createSyncSocketClass(ctx: SyncSocketContext) {
  const connectTimeoutMs = ctx.connectTimeoutMs ?? 5_000;
  const websocketRetryMs = ctx.websocketRetryMs ?? 60_000;

  return class SyncSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;

    readyState = 0;
    binaryType = 'arraybuffer';
    onopen: ((event: unknown) => void) | null = null;
    onmessage: ((event: { data: ArrayBuffer }) => void) | null = null;
    onclose: ((event: SocketCloseEvent) => void) | null = null;
    onerror: ((event: unknown) => void) | null = null;
    transport: TransportKind | null = null;

    private inner: InnerSocket | null = null;
    private probeTimer: ReturnType<typeof setInterval> | null = null;
    private synced = false;

    constructor(
      readonly url: string,
      private readonly protocols?: string | string[],
    ) {
      void this.connect();
    }

    send(data: Uint8Array | ArrayBuffer): void {
      if (this.readyState !== 1 || !this.inner) return;
      this.inner.send(data);
      ctx.pending.sent(data instanceof Uint8Array ? data : new Uint8Array(data));
    }

    close(code = 1000, reason = ''): void {
      if (this.readyState >= 2) return;
      if (this.inner) {
        this.readyState = 2;
        this.inner.close(code, reason);
        return;
      }
      ctx.policy.cancel(); // closed while waiting or still trying
      this.finish({ code, reason, wasClean: true });
    }

    private async connect(): Promise<void> {
      await ctx.policy.wait(ctx.policy.delay(ctx.isOnline()));
      if (this.readyState !== 0) return;
      if (await this.attempt(() => new ctx.WebSocketImpl(this.url, this.protocols), 'websocket', connectTimeoutMs)) return;
      if (this.readyState !== 0) return;
      if (await this.attempt(() => new HttpFallbackSocket(fallbackUrl(this.url)), 'http', connectTimeoutMs * 2)) return;
      if (this.readyState !== 0) return;
      ctx.policy.failed();
      this.onerror?.({});
      this.finish({ code: 1006, reason: 'unreachable', wasClean: false });
    }

    /**
     * Resolves true once the socket opened (adopted in the open handler itself: the server's first
     * frame may arrive in the same turn), false if it closed or timed out first.
     */
    private attempt(make: () => InnerSocket, kind: TransportKind | null, timeoutMs: number): Promise<boolean> {
      return new Promise((resolve) => {
        let socket: InnerSocket;
        try {
          socket = make();
        } catch {
          resolve(false);
          return;
        }
        socket.binaryType = 'arraybuffer';
        const timer = setTimeout(() => {
          socket.onclose = null;
          socket.onerror = null;
          socket.onopen = null;
          socket.close();
          resolve(false);
        }, timeoutMs);
        socket.onerror = () => {};
        socket.onopen = () => {
          clearTimeout(timer);
          if (kind && this.readyState === 0) this.adopt(socket, kind);
          else socket.close(1000, kind ? 'abandoned' : 'probe');
          resolve(true);
        };
        socket.onclose = () => {
          clearTimeout(timer);
          resolve(false);
        };
      });
    }

    private adopt(inner: InnerSocket, kind: TransportKind): void {
      this.inner = inner;
      this.transport = kind;
      this.readyState = 1;
      inner.onerror = (event) => this.onerror?.(event);
      inner.onmessage = (event) => {
        const frame = new Uint8Array(event.data);
        if (!this.synced && isSyncFrame(frame, SyncType.Step2)) {
          this.synced = true;
          ctx.policy.succeeded();
        }
        ctx.pending.received(frame);
        this.onmessage?.(event);
      };
      inner.onclose = (event) => this.finish(event);
      ctx.pending.connectionOpened(() => this.send(encodeSyncStep1(ctx.stateVector())));
      ctx.onTransport(kind);
      if (kind === 'http') this.probeTimer = setInterval(() => this.tryWebSocketAgain(), websocketRetryMs);
      this.onopen?.({});
    }

    /** On the fallback: if a WebSocket opens now, drop the fallback so the provider reconnects over it. */
    private tryWebSocketAgain(): void {
      void this.attempt(() => new ctx.WebSocketImpl(this.url, this.protocols), null, connectTimeoutMs).then((opened) => {
        if (opened && this.readyState === 1) this.close(1000, 'switching to websocket');
      });
    }

    private finish(event: SocketCloseEvent): void {
      if (this.readyState === 3) return;
      const wasOpen = this.inner !== null;
      this.readyState = 3;
      if (this.probeTimer) clearInterval(this.probeTimer);
      if (wasOpen) {
        ctx.pending.connectionClosed();
        ctx.onTransport(null);
        ctx.policy.failed();
      }
      this.onclose?.(event);
    }
  };
}
