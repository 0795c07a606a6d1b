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
import { isDocumentWrite, tokenFromUrl, type AuthResult, type BoardAuth } from '../auth/board-auth';
import type { Config } from '../config';
import { AdmissionControl } from '../limits/admission';
import { RateLimits } from '../limits/token-bucket';
import type { Logger } from '../logger';
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
  url: string | undefined;
  boardId: string | null;
  origin: string | undefined;
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
  admission: AdmissionControl = new AdmissionControl(config),
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
    if (config.refuseWebSocket) {
      // test flag: behave like a proxy that blocks WebSockets (clients fall back to HTTP)
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // a malformed upgrade is refused at the HTTP level; board and auth problems are not (see onConnection)
    const checked = checkUpgrade(req);
    if (!checked.ok) {
      writeRefusal(socket, checked.status, checked.reason);
      return;
    }
    // authorized before the upgrade completes, so no frame can arrive before the role is known
    const boardId = boardIdFromUrl(req.url);
    const upgrade: Upgrade = { key: checked.key, protocol: checked.protocol, url: req.url, boardId, origin: req.headers.origin };
    const authorized = auth && boardId ? auth.authorize(boardId, tokenFromUrl(req.url)) : Promise.resolve(null);
    authorized.then(
      (result) => onConnection(socket, head, upgrade, result),
      (err: unknown) => {
        log.error({ err, url: req.url }, 'authorization failed');
        socket.destroy();
      },
    );
  });

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
      // viewers: document writes are dropped (never applied, stored or relayed); their stock client
      // sends step 2 on every connect, so this is not a reason to close. Awareness still flows.
      if (auth && conn.viewer && isDocumentWrite(frame)) {
        auth.droppedViewerWrites++;
        return;
      }
      conn.session?.receive(frame);
    },
    closed(conn, code, reason) {
      if (!connections.delete(conn)) return;
      if (conn.admittedIp !== null && conn.boardId) admission.leave(conn.boardId, conn.admittedIp);
      if (auth && conn.boardId) auth.leave(conn.boardId, conn);
      conn.session?.closed();
      log.info({ conn: conn.id, boardId: conn.boardId, code, reason }, 'connection close');
      if (connections.size === 0) allGone?.();
    },
  };

  const context: ConnectionContext = { events, maxBufferedBytes: config.maxBufferedBytes, metrics };

  function onConnection(socket: Duplex, head: Buffer, upgrade: Upgrade, authResult: AuthResult | null): void {
    // the client may have gone while we authorized
    if (socket.destroyed || !socket.writable) {
      socket.destroy();
      return;
    }
    writeAccept(socket, upgrade.key, upgrade.protocol);
    const tcp = socket as Socket;
    tcp.setNoDelay(true);
    tcp.setTimeout(0);
    const { boardId, url, origin } = upgrade;
    const conn = new Connection(nextId++, socket, boardId, maxPayload, context);
    const remote = tcp.remoteAddress;
    // never reject at the HTTP upgrade: browsers would see 1006 and retry forever
    if (draining || !accepting) {
      metrics?.rejected('draining');
      conn.close(CloseCode.ServiceRestart, 'server restarting');
      return;
    }
    if (!boardId) {
      metrics?.rejected('invalid_board_id');
      log.info({ conn: conn.id, url, remote }, 'connection refused: invalid board id');
      conn.close(CloseCode.InvalidBoardId, 'invalid board id');
      return;
    }
    if (authResult && !authResult.ok) {
      metrics?.rejected('unauthorized');
      log.info({ conn: conn.id, boardId, remote, code: authResult.code, reason: authResult.reason }, 'connection refused: unauthorized');
      conn.close(authResult.code, authResult.reason);
      return;
    }
    const grant = authResult?.grant ?? null;
    const ip = remote ?? 'unknown';
    const refused = admission.enter(boardId, ip, origin);
    if (refused) {
      metrics?.rejected(refused.reason);
      log.warn({ conn: conn.id, boardId, remote, origin, reason: refused.reason }, 'connection refused');
      conn.close(refused.code, refused.message);
      return;
    }
    conn.admittedIp = ip;
    conn.viewer = grant?.role === 'viewer';
    connections.add(conn);
    // enter() closes the connection itself if its link was rotated while it was authorized
    if (auth && grant) auth.enter(grant, conn);
    conn.session = openSession(registry, boardId, conn, log);
    log.info({ conn: conn.id, boardId, remote, role: grant?.role ?? 'editor' }, 'connection open');
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
