/**
 * WebSocket transport: upgrade, board id from the path, frame size limit, liveness. It knows
 * sockets, not Yjs: frames go to a Session, which talks to the room.
 *
 * The WebSocket protocol itself (handshake, frames, close handshake) is ours, in ./websocket: `ws`'s
 * per-socket objects (WebSocket, Receiver stream, Sender, listener arrays) were ~3 KB of heap per idle
 * connection together with Node's socket, and its stream machinery ~13 % of busy CPU.
 *
 * Liveness uses ONE server-wide interval: ping/pong finds dead peers, and sockets that were
 * sent nothing for idleFrameAfterMs get the 3-byte empty awareness update, because a y-websocket
 * v3 client reconnects after 30 s without a message (protocol pongs don't count for it).
 *
 * Limits (server/limits): Origin allow-list and connection caps are checked right after the
 * upgrade; every frame (data, continuation, control; bytes incl. its header) passes the connection's
 * rate limits (4529 when over) and a message over maxMessageBytes is refused (4413) as its header
 * arrives, before its payload is buffered. On shutdown the
 * 1012 closes are spread over drainMs so clients, which reconnect without jitter, come back spread.
 *
 * Hot path (ws-connection.ts): a socket is corked on its first send of an event-loop turn and uncorked once the turn's
 * work is done (including the storage write's promise continuations), so all frames a tick sends to
 * one peer (presence and edits) leave in one writev. A socket whose
 * unsent backlog passes maxBufferedBytes (a client that stopped reading) is closed with 4508
 * (transient: it reconnects and resyncs) instead of buffering without bound.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { isBoardId } from '../../lib/board-id';
import { CloseCode } from '../../lib/protocol/close-codes';
import { tokenFromUrl, type AuthResult, type BoardAuth } from '../auth/board-auth';
import type { Config } from '../config';
import { AdmissionControl } from '../limits/admission';
import { ConnectionGate } from '../limits/gate';
import { RateLimits } from '../limits/token-bucket';
import { urlForLog, type Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { HEARTBEAT_FRAME } from '../protocol/messages';
import type { RoomRegistry } from '../rooms/room-registry';
import { openSession } from '../rooms/session';
import { Connection, type ConnectionContext, type ConnectionEvents } from './ws-connection';
import { clock } from './websocket/socket';
import { checkUpgrade, writeAccept, writeRefusal } from './websocket/handshake';

type TransportConfig = Pick<
  Config,
  | 'maxMessageBytes'
  | 'heartbeatTickMs'
  | 'idleFrameAfterMs'
  | 'pingIntervalMs'
  | 'shutdownTimeoutMs'
  | 'rateLimitMessagesPerSec'
  | 'rateLimitBytesPerSec'
  | 'maxConnectionsPerBoard'
  | 'maxConnectionsPerIp'
  | 'allowedOrigins'
  | 'drainMs'
  | 'maxBufferedBytes'
  | 'refuseWebSocket'
>;

/** Path -> board id, or null. The query string (?token=) is read by server/auth. */
export function boardIdFromUrl(url: string | undefined): string | null {
  const path = (url ?? '').split('?')[0];
  if (!path.startsWith('/')) return null;
  let id: string;
  try {
    id = decodeURIComponent(path.slice(1));
  } catch {
    return null;
  }
  return isBoardId(id) ? id : null;
}

function destroyOnError(this: Duplex): void {
  this.destroy();
}

/** What the upgrade request tells the connection; read before authorization so `req` is not kept. */
interface Upgrade {
  key: string;
  protocol: string | null;
  boardId: string | null;
  /** The request path without its query (the token), for logs. */
  url: string;
}

export interface WsTransport {
  readonly connectionCount: number;
  /** Stop taking frames, wait until queued frames are handled (bounded by the caller). */
  drain(): Promise<void>;
  /**
   * Stop accepting, then close every socket with 1012, spread evenly over drainMs (frames keep
   * being handled until a socket's turn comes), and wait (bounded) for them to go.
   */
  closeAll(): Promise<void>;
}

export function attachWsTransport(
  server: Server,
  registry: RoomRegistry,
  config: TransportConfig,
  log: Logger,
  metrics: Metrics | null = null,
  /** Token check per connection (server/auth); null = everyone is an editor (embedding/tests only). */
  auth: BoardAuth | null = null,
  /** Shared with the HTTP fallback (start-server.ts) so the caps count both transports. */
  gate: ConnectionGate = new ConnectionGate(new AdmissionControl(config), auth, log, metrics),
): WsTransport {
  // the parser answers 1009 above maxPayload; headroom so ordinary oversize frames get our 4413
  const maxPayload = config.maxMessageBytes * 2;
  const connections = new Set<Connection>();
  /** Resolves closeAll's wait once the last connection is gone. */
  let allGone: (() => void) | null = null;
  let nextId = 1;
  let draining = false;
  let accepting = true;
  if (!config.allowedOrigins) log.warn('ALLOWED_ORIGINS is not set: WebSocket connections from any origin are accepted');

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // a shared function, not a closure: a closure here would keep req (headers, token) alive with the socket
    socket.on('error', destroyOnError);
    try {
      onUpgrade(req, socket, head);
    } catch (err) {
      // one bad request closes one socket, never the process
      metrics?.error('internal');
      log.error({ err }, 'upgrade failed');
      socket.destroy();
    }
  });

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (config.refuseWebSocket) {
      // test flag: behave like a proxy that blocks WebSockets (clients fall back to HTTP)
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // a malformed upgrade is refused at the HTTP level; board, cap and auth problems are not (see below)
    const checked = checkUpgrade(req);
    if (!checked.ok) {
      writeRefusal(socket, checked.status, checked.reason);
      return;
    }
    const boardId = boardIdFromUrl(req.url);
    const upgrade: Upgrade = { key: checked.key, protocol: checked.protocol, boardId, url: urlForLog(req.url) ?? '' };
    const ip = (socket as Socket).remoteAddress ?? 'unknown';
    // caps are taken before the token check awaits, so clients waiting on it count too
    const entered = gate.enter(boardId, ip, req.headers.origin);
    if (!entered.ok) {
      log.info({ boardId, url: upgrade.url, remote: ip, code: entered.code, reason: entered.reason }, 'connection refused');
      refuse(socket, head, upgrade, entered.code, entered.reason);
      return;
    }
    // authorized before the upgrade completes, so no frame can arrive before the role is known
    void gate.authorize(entered.boardId, tokenFromUrl(req.url)).then((result) => {
      try {
        onConnection(socket, head, upgrade, entered.boardId, ip, result);
      } catch (err) {
        metrics?.error('internal');
        log.error({ err, boardId }, 'connection setup failed');
        socket.destroy();
      }
    });
  }

  /** Accepts, then closes with `code`: a refused upgrade would be 1006 to a browser, which retries forever. */
  function refuse(socket: Duplex, head: Buffer, upgrade: Upgrade, code: number, reason: string): void {
    if (socket.destroyed || !socket.writable) return void socket.destroy();
    writeAccept(socket, upgrade.key, upgrade.protocol);
    const conn = new Connection(nextId++, socket, upgrade.boardId, maxPayload, context);
    conn.close(code, reason);
    conn.start(head);
  }

  const rateLimits = new RateLimits(config);

  // Shared by every connection (one object, no closures per socket): per-connection closures and
  // their contexts were ~1 KB of each idle connection's heap.
  const events: ConnectionEvents = {
    protocolError(conn, code, reason) {
      metrics?.error('socket');
      log.warn({ conn: conn.id, boardId: conn.boardId, code, reason }, 'websocket protocol error');
    },
    failed(conn, err) {
      metrics?.error('socket');
      log.error({ err, conn: conn.id, boardId: conn.boardId }, 'socket handler failed: connection closed');
    },
    frame(conn, frameBytes, messageBytes) {
      // size first: an oversize message must get the permanent 4413, not a retried 4529
      if (messageBytes > config.maxMessageBytes && !conn.closed) {
        metrics?.error('too_large');
        log.warn({ conn: conn.id, boardId: conn.boardId, bytes: messageBytes }, 'frame too large');
        conn.close(CloseCode.TooLarge, 'message too large');
        return;
      }
      const over = rateLimits.admit(conn, frameBytes);
      if (!over) return;
      // in the close wait there is no second close frame to send: stop reading a peer still flooding
      // (not destroy: the close frame with its code must still reach it)
      if (conn.closed) return conn.stopReading();
      log.warn({ conn: conn.id, boardId: conn.boardId, remote: conn.remote, limit: over }, 'rate limit exceeded');
      conn.close(CloseCode.RateLimited, 'rate limit exceeded');
    },
    message(conn, frame, isBinary) {
      if (draining || conn.closed || !connections.has(conn)) return;
      metrics?.frameIn(frame);
      if (!isBinary) {
        log.warn({ conn: conn.id, boardId: conn.boardId }, 'text frame');
        conn.close(CloseCode.MalformedMessage, 'binary frames only');
        return;
      }
      // viewers' document writes are dropped by the room, on the decoded message (rooms/room.ts)
      conn.session?.receive(frame);
    },
    closed(conn, code, reason) {
      if (!connections.delete(conn)) return;
      if (conn.admittedIp !== null && conn.boardId) gate.leave(conn.boardId, conn.admittedIp);
      if (auth && conn.boardId) auth.leave(conn.boardId, conn);
      conn.session?.closed();
      log.info({ conn: conn.id, boardId: conn.boardId, code, reason }, 'connection close');
      if (connections.size === 0) allGone?.();
    },
  };

  const context: ConnectionContext = { events, maxBufferedBytes: config.maxBufferedBytes, metrics };

  /** After the token check; the caller holds the gate's slot for (boardId, ip). */
  function onConnection(socket: Duplex, head: Buffer, upgrade: Upgrade, boardId: string, ip: string, authResult: AuthResult): void {
    // the client may have gone while we authorized
    if (socket.destroyed || !socket.writable) {
      gate.leave(boardId, ip);
      socket.destroy();
      return;
    }
    if (!authResult.ok) {
      gate.leave(boardId, ip);
      log.info({ boardId, url: upgrade.url, remote: ip, code: authResult.code, reason: authResult.reason }, 'connection refused: unauthorized');
      refuse(socket, head, upgrade, authResult.code, authResult.reason);
      return;
    }
    if (draining || !accepting) {
      gate.leave(boardId, ip);
      metrics?.rejected('draining');
      refuse(socket, head, upgrade, CloseCode.ServiceRestart, 'server restarting');
      return;
    }
    writeAccept(socket, upgrade.key, upgrade.protocol);
    const tcp = socket as Socket;
    tcp.setNoDelay(true);
    tcp.setTimeout(0);
    const conn = new Connection(nextId++, socket, boardId, maxPayload, context);
    const { grant } = authResult;
    conn.admittedIp = ip;
    conn.viewer = grant.role === 'viewer';
    conn.name = grant.name;
    connections.add(conn);
    // enter() closes the connection itself if its link was rotated while it was authorized
    if (auth) auth.enter(grant, conn);
    conn.session = openSession(registry, boardId, conn, log);
    log.info({ conn: conn.id, boardId, remote: ip, role: grant.role }, 'connection open');
    // bytes the HTTP parser read past the request (a client may send right after its upgrade)
    conn.start(head);
  }

  const tick = setInterval(() => {
    const now = clock();
    for (const conn of connections) {
      if (now - conn.lastPingAt >= config.pingIntervalMs) {
        if (conn.awaitingPong) {
          log.info({ conn: conn.id }, 'no pong: terminating');
          conn.terminate();
          continue;
        }
        conn.awaitingPong = true;
        conn.lastPingAt = now;
        conn.ping();
      }
      if (conn.sent) {
        conn.sent = false;
        conn.lastSentAt = now;
      } else if (now - conn.lastSentAt >= config.idleFrameAfterMs) conn.send(HEARTBEAT_FRAME);
    }
  }, config.heartbeatTickMs);
  tick.unref();

  return {
    get connectionCount() {
      return connections.size;
    },
    async drain() {
      draining = true;
      clearInterval(tick);
      await Promise.allSettled([...connections.values()].map((c) => c.session?.drained()));
    },
    async closeAll() {
      accepting = false;
      gate.stop();
      const open = [...connections];
      const gone = new Promise<void>((resolve) => {
        allGone = resolve;
        if (connections.size === 0) resolve();
      });
      // shuffled so the same clients aren't always first back, then one close every drainMs / n
      for (let i = open.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [open[i], open[j]] = [open[j], open[i]];
      }
      const spacing = open.length > 1 ? config.drainMs / open.length : 0;
      log.info({ connections: open.length, drainMs: config.drainMs }, 'draining connections');
      const started = performance.now();
      for (let i = 0; i < open.length; ) {
        const wait = i * spacing - (performance.now() - started);
        // timers are ~1 ms coarse: with many sockets, close the ones that are due in batches
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.max(wait, 10)));
        const elapsed = performance.now() - started;
        while (i < open.length && i * spacing <= elapsed) {
          open[i++].close(CloseCode.ServiceRestart, 'server restarting');
        }
      }
      const timer = new Promise<void>((resolve) => setTimeout(resolve, Math.min(2000, config.shutdownTimeoutMs)).unref());
      await Promise.race([gone, timer]);
      for (const conn of open) conn.terminate();
    },
  };
}
