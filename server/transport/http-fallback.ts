/**
 * HTTP fallback for networks that block the WebSocket upgrade (the client is
 * lib/sync/http-fallback-socket.ts). The same y-websocket frames reach the same rooms through the
 * same Session and Peer interface, with the same checks as the WebSocket path: token (at stream
 * open), Origin allow-list and connection caps (AdmissionControl), per-connection rate limits,
 * frame size, viewers' document writes dropped.
 *
 *   GET  /fallback/<board>?token=…        Server-Sent Events: `event: open` + session id, then one
 *                                        base64 `data:` line per frame; `event: close` + "<code>
 *                                        <reason>" before the stream ends. Closing the stream is
 *                                        closing the connection.
 *   POST /fallback/<board>/<session>      body: frames, each prefixed by a 4-byte length. 204, or
 *                                        404 once the session is gone (the client reconnects).
 *
 * The session id is random and only ever sent down that session's stream, so it is the
 * capability for POSTs. Refusals are delivered like the WebSocket path's: stream opened, then a
 * close event with the 44xx code, since a browser cannot read why a fetch failed either.
 * Liveness: an SSE comment keeps proxies from timing out an idle stream, and peers sent nothing
 * for idleFrameAfterMs get the empty awareness frame (the v3 client's 30 s watchdog).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeFrameBatch, FALLBACK_PREFIX } from '../../lib/sync/frames';
import { CloseCode } from '../../lib/protocol/close-codes';
import { tokenFromUrl, type BoardAuth } from '../auth/board-auth';
import type { Config } from '../config';
import { AdmissionControl, normalizeOrigin } from '../limits/admission';
import { ConnectionGate } from '../limits/gate';
import { ConnectionRateLimiter } from '../limits/token-bucket';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { HEARTBEAT_FRAME } from '../protocol/messages';
import type { RoomRegistry } from '../rooms/room-registry';
import { openSession, type Session } from '../rooms/session';
import { boardIdFromUrl } from './ws';
import { FallbackPeer } from './http-fallback-peer';

type FallbackConfig = Pick<
  Config,
  | 'maxMessageBytes'
  | 'heartbeatTickMs'
  | 'idleFrameAfterMs'
  | 'rateLimitMessagesPerSec'
  | 'rateLimitBytesPerSec'
  | 'maxConnectionsPerBoard'
  | 'maxConnectionsPerIp'
  | 'allowedOrigins'
  | 'maxBufferedBytes'
>;

interface FallbackConnection {
  peer: FallbackPeer;
  session: Session;
  limiter: ConnectionRateLimiter;
  boardId: string;
  /** POST bodies are handled one after another, as a socket's frames are. */
  posting: Promise<void>;
  /** POSTs queued on `posting`; bounded so a client can't park unlimited requests. */
  pendingPosts: number;
}

export interface HttpFallback {
  /** Handles /fallback/* requests; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  readonly connectionCount: number;
  /** Closes every stream with 1012 and waits (bounded by the caller) for queued frames. */
  closeAll(): Promise<void>;
}

const KEEPALIVE_COMMENT = ': keep-alive\n\n';
/** POSTs one fallback connection may have waiting; the client sends one at a time. */
const MAX_PENDING_POSTS = 8;

export function createHttpFallback(
  registry: RoomRegistry,
  config: FallbackConfig,
  log: Logger,
  metrics: Metrics | null = null,
  auth: BoardAuth | null = null,
  /** Pass the WebSocket transport's instance so per-board / per-IP caps count both transports. */
  gate: ConnectionGate = new ConnectionGate(new AdmissionControl(config), auth, log, metrics),
): HttpFallback {
  const connections = new Map<string, FallbackConnection>();
  const origins = config.allowedOrigins ? new Set(config.allowedOrigins.map(normalizeOrigin)) : null;
  let accepting = true;
  let nextId = 1;

  /** CORS for the app's origin (the sync server is another origin than the page). */
  function cors(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true; // not a browser: nothing to allow
    if (origins && !origins.has(normalizeOrigin(origin))) return false;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    return true;
  }

  /** Answers without reading the body: the connection closes after it, so an unread body costs nothing. */
  function refusePost(res: ServerResponse, status: number): void {
    res.shouldKeepAlive = false;
    reply(res, status);
  }

  function reply(res: ServerResponse, status: number, message?: string): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(message);
  }

  /**
   * Everything up to the token check is synchronous, including the close handler, so a client that
   * leaves while its token is checked gives its slot back (it used to keep it forever).
   */
  function openStream(req: IncomingMessage, res: ServerResponse, boardId: string | null): void {
    const id = `h${nextId++}`;
    const sessionId = randomBytes(18).toString('base64url');
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      'X-Accel-Buffering': 'no', // nginx: don't buffer the stream
      Connection: 'keep-alive',
    });
    res.socket?.setNoDelay(true);
    const peer = new FallbackPeer(id, res, config.maxBufferedBytes, metrics);
    const remote = req.socket.remoteAddress ?? 'unknown';
    const entered = gate.enter(boardId, remote, req.headers.origin);
    if (!entered.ok) {
      log.info({ conn: id, boardId, remote, code: entered.code, reason: entered.reason }, 'fallback connection refused');
      peer.close(entered.code, entered.reason);
      return;
    }
    let conn: FallbackConnection | null = null;
    let untrack = (): void => {};
    res.on('close', () => {
      peer.markClosed();
      gate.leave(entered.boardId, remote);
      if (!conn) return;
      connections.delete(sessionId);
      untrack();
      conn.session.closed();
      log.info({ conn: id, boardId }, 'fallback connection close');
    });
    void gate.authorize(entered.boardId, tokenFromUrl(req.url)).then((result) => {
      if (peer.closed) return; // the client went away while we checked: 'close' released the slot
      if (!result.ok) {
        log.info({ conn: id, boardId, remote, code: result.code, reason: result.reason }, 'fallback connection refused');
        return peer.close(result.code, result.reason);
      }
      if (!accepting) return peer.close(CloseCode.ServiceRestart, 'server restarting');
      const { grant } = result;
      peer.viewer = grant.role === 'viewer';
      peer.name = grant.name;
      if (auth) untrack = auth.track(grant, peer);
      if (peer.closed) return; // track() closes a connection whose link was rotated meanwhile
      conn = {
        peer,
        session: openSession(registry, entered.boardId, peer, log),
        limiter: new ConnectionRateLimiter(config),
        boardId: entered.boardId,
        posting: Promise.resolve(),
        pendingPosts: 0,
      };
      connections.set(sessionId, conn);
      peer.sendEvent('open', sessionId);
      log.info({ conn: id, boardId, remote, role: grant.role, transport: 'http' }, 'connection open');
    });
  }

  async function receiveBody(req: IncomingMessage, res: ServerResponse, conn: FallbackConnection): Promise<void> {
    const maxBody = config.maxMessageBytes * 2;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > maxBody) {
        metrics?.error('too_large');
        conn.peer.close(CloseCode.TooLarge, 'message too large');
        return reply(res, 413);
      }
      chunks.push(chunk);
    }
    const frames = decodeFrameBatch(new Uint8Array(Buffer.concat(chunks)), config.maxMessageBytes);
    if (!frames) {
      metrics?.error('malformed');
      conn.peer.close(CloseCode.MalformedMessage, 'malformed request body');
      return reply(res, 400);
    }
    // every byte counts, framing included, and a POST without frames is still a message
    if (frames.length === 0 && !overLimit(conn, size)) return reply(res, 204);
    for (const frame of frames) {
      if (conn.peer.closed) break;
      if (overLimit(conn, frame.byteLength + 4)) break;
      metrics?.frameIn(frame);
      // viewers' document writes are dropped by the room, on the decoded message (rooms/room.ts)
      conn.session.receive(frame);
    }
    reply(res, conn.peer.closed ? 410 : 204);
  }

  function overLimit(conn: FallbackConnection, bytes: number): boolean {
    const over = conn.limiter.admit(bytes);
    if (!over) return false;
    metrics?.error('rate_limited');
    log.warn({ conn: conn.peer.id, boardId: conn.boardId, limit: over }, 'rate limit exceeded');
    conn.peer.close(CloseCode.RateLimited, 'rate limit exceeded');
    return true;
  }

  const tick = setInterval(() => {
    const now = Date.now();
    for (const conn of connections.values()) conn.peer.heartbeat(now, config.idleFrameAfterMs, HEARTBEAT_FRAME, KEEPALIVE_COMMENT);
  }, config.heartbeatTickMs);
  tick.unref();

  return {
    handle(req, res) {
      const url = req.url ?? '/';
      if (!url.startsWith(FALLBACK_PREFIX)) return false;
      const allowed = cors(req, res);
      if (req.method === 'OPTIONS') {
        if (!allowed) return reply(res, 403), true;
        res.writeHead(204, {
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': 'content-type',
          'Access-Control-Max-Age': '86400',
        });
        res.end();
        return true;
      }
      // the rest of the path, /<board> or /<board>/<session>, parsed like the WebSocket path
      const [path, query = ''] = url.slice(FALLBACK_PREFIX.length - 1).split('?');
      const parts = path.split('/');
      if (req.method === 'GET' && parts.length === 2) {
        if (!allowed) {
          // like the WebSocket path: tell the client why instead of an opaque failure
          metrics?.rejected('origin');
          return reply(res, 403, 'origin not allowed'), true;
        }
        openStream(req, res, boardIdFromUrl(`${path}?${query}`));
        return true;
      }
      if (req.method === 'POST' && parts.length === 3) {
        // session ids are base64url: compared as sent, never percent-decoded
        const conn = connections.get(parts[2]);
        if (!conn || conn.boardId !== boardIdFromUrl(`/${parts[1]}`) || !allowed) return refusePost(res, 404), true;
        if (conn.pendingPosts >= MAX_PENDING_POSTS) return refusePost(res, 429), true;
        conn.pendingPosts++;
        conn.posting = conn.posting.then(() =>
          receiveBody(req, res, conn)
            .catch((err: unknown) => {
              log.warn({ err, conn: conn.peer.id }, 'fallback POST failed');
              if (!res.headersSent) reply(res, 400);
              else res.destroy();
            })
            .finally(() => conn.pendingPosts--),
        );
        return true;
      }
      res.setHeader('Allow', 'GET, POST, OPTIONS');
      reply(res, 405);
      return true;
    },
    get connectionCount() {
      return connections.size;
    },
    async closeAll() {
      accepting = false;
      gate.stop();
      clearInterval(tick);
      const open = [...connections.values()];
      for (const conn of open) conn.peer.close(CloseCode.ServiceRestart, 'server restarting');
      await Promise.allSettled(open.map((c) => c.session.drained()));
    },
  };
}
