/**
 * TCP-level guard for connections that have not sent a complete request yet. The per-IP caps of
 * server/limits apply only once a socket is a WebSocket (or a fallback session); before that a
 * client could hold any number of half-sent requests open. Here:
 *
 * - count: at most maxPendingConnectionsPerIp connections per peer address whose request headers
 *   are incomplete; one more is destroyed at once. A connection stops counting when its request
 *   (or upgrade request) is complete: from then on the handlers' own limits apply.
 * - time: Node's headersTimeout (408 and close) bounds how long the headers may take, checked
 *   every connectionsCheckingInterval (Node's default, 30 s, would let a stall last 40 s). It stops
 *   at a complete request, so long SSE fallback streams are not cut. An upgrade request left
 *   unanswered (the 101 or refusal not written, e.g. authorization stuck) is destroyed after the same
 *   time by one sweep timer.
 *
 * Nothing stays on a socket once it is counted out (no listener, no property): idle WebSockets
 * are most of a server's sockets.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface PendingGuardConfig {
  maxPendingConnectionsPerIp: number;
  /** Request headers must be complete, and an upgrade answered, within this. */
  handshakeTimeoutMs: number;
}

/** A whole request body may take this long (Node's default, stated: a 16 MiB fallback POST over a slow link). */
const REQUEST_TIMEOUT_MS = 300_000;

export interface PendingGuard {
  /** Connections of this address still counted (tests, diagnostics). */
  pending(ip: string): number;
}

export function guardPendingConnections(server: Server, config: PendingGuardConfig): PendingGuard {
  const timeout = config.handshakeTimeoutMs;
  server.headersTimeout = timeout;
  server.requestTimeout = Math.max(REQUEST_TIMEOUT_MS, timeout);
  // a createServer option, but stored on the server and read when it starts listening (not in @types/node)
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(1_000, Math.max(50, Math.floor(timeout / 4)));

  /** Socket -> the address it is counted under, while its request is incomplete. */
  const sockets = new Map<Duplex, string>();
  const perIp = new Map<string, number>();
  /** Upgrade sockets not answered yet -> deadline (performance.now()). */
  const upgrades = new Map<Socket, number>();
  let sweeper: NodeJS.Timeout | null = null;

  function release(socket: Duplex): void {
    const ip = sockets.get(socket);
    if (ip === undefined) return;
    sockets.delete(socket);
    socket.removeListener('close', onClose);
    const n = (perIp.get(ip) ?? 1) - 1;
    if (n > 0) perIp.set(ip, n);
    else perIp.delete(ip);
  }

  // one function per server, not per socket
  function onClose(this: Duplex): void {
    release(this);
  }

  function sweep(): void {
    const now = performance.now();
    for (const [socket, deadline] of upgrades) {
      // anything written is the 101 or a refusal: answered
      if (socket.destroyed || socket.bytesWritten > 0) upgrades.delete(socket);
      else if (now >= deadline) {
        upgrades.delete(socket);
        socket.destroy();
      }
    }
    if (upgrades.size === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = null;
    }
  }

  server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? 'unknown';
    const n = perIp.get(ip) ?? 0;
    if (n >= config.maxPendingConnectionsPerIp) {
      socket.destroy();
      return;
    }
    perIp.set(ip, n + 1);
    sockets.set(socket, ip);
    socket.on('close', onClose);
  });
  server.on('request', (req: IncomingMessage) => release(req.socket));
  server.on('upgrade', (_req: IncomingMessage, socket: Duplex) => {
    release(socket);
    upgrades.set(socket as Socket, performance.now() + timeout);
    sweeper ??= setInterval(sweep, Math.min(250, timeout)).unref();
  });
  server.on('close', () => {
    if (sweeper) clearInterval(sweeper);
    sweeper = null;
  });

  return {
    pending: (ip) => perIp.get(ip) ?? 0,
  };
}
