/**
 * WebSocket transport: upgrade, board id from the path, frame size limit, liveness. It knows
 * sockets, not Yjs: frames go to a Session, which talks to the room.
 *
 * Liveness uses ONE server-wide interval: ws ping/pong finds dead peers, and sockets that were
 * sent nothing for idleFrameAfterMs get the 3-byte empty awareness update, because a y-websocket
 * v3 client reconnects after 30 s without a message (protocol pongs don't count for it).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { isBoardId } from '../../lib/board-id';
import { CloseCode } from '../../lib/protocol/close-codes';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { HEARTBEAT_FRAME } from '../protocol/messages';
import type { Peer } from '../rooms/room';
import type { RoomRegistry } from '../rooms/room-registry';
import { openSession, type Session } from '../rooms/session';

type TransportConfig = Pick<
  Config,
  'maxMessageBytes' | 'heartbeatTickMs' | 'idleFrameAfterMs' | 'pingIntervalMs' | 'shutdownTimeoutMs'
>;

interface Connection {
  peer: SocketPeer;
  session: Session | null;
  lastSentAt: number;
  lastPingAt: number;
  awaitingPong: boolean;
}

/** Path -> board id, or null. The query string is ignored (later: ?token=). */
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

class SocketPeer implements Peer {
  closed = false;
  constructor(
    readonly id: string,
    private readonly ws: WebSocket,
    private readonly onSend: () => void,
  ) {}

  send(frame: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.onSend();
    this.ws.send(frame, { binary: true });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close(code, reason);
  }
}

function toBytes(data: RawData): Uint8Array {
  // copy: ws may hand out views into a larger shared buffer
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  return new Uint8Array(data instanceof ArrayBuffer ? data.slice(0) : data);
}

export interface WsTransport {
  readonly connectionCount: number;
  /** Stop taking frames, wait until queued frames are handled (bounded by the caller). */
  drain(): Promise<void>;
  /** Close every socket with 1012 and wait (bounded) for them to go. */
  closeAll(): Promise<void>;
}

export function attachWsTransport(
  server: Server,
  registry: RoomRegistry,
  config: TransportConfig,
  log: Logger,
): WsTransport {
  // ws itself answers 1009 above maxPayload; leave headroom so ordinary oversize frames get our 4413
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes * 2 });
  const connections = new Map<WebSocket, Connection>();
  let nextId = 1;
  let draining = false;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req));
  });

  function onConnection(ws: WebSocket, req: IncomingMessage): void {
    const id = `c${nextId++}`;
    const conn: Connection = {
      peer: new SocketPeer(id, ws, () => (conn.lastSentAt = Date.now())),
      session: null,
      lastSentAt: Date.now(),
      lastPingAt: 0,
      awaitingPong: false,
    };
    const boardId = boardIdFromUrl(req.url);
    const remote = req.socket.remoteAddress;
    ws.on('error', (err) => log.warn({ err, conn: id }, 'socket error'));
    // never reject at the HTTP upgrade: browsers would see 1006 and retry forever
    if (draining) {
      ws.close(CloseCode.ServiceRestart, 'server restarting');
      return;
    }
    if (!boardId) {
      log.info({ conn: id, url: req.url, remote }, 'connection refused: invalid board id');
      conn.peer.close(CloseCode.InvalidBoardId, 'invalid board id');
      return;
    }
    connections.set(ws, conn);
    conn.session = openSession(registry, boardId, conn.peer, log);
    log.info({ conn: id, boardId, remote }, 'connection open');

    ws.on('pong', () => (conn.awaitingPong = false));
    ws.on('message', (data, isBinary) => {
      if (draining || conn.peer.closed) return;
      const frame = toBytes(data);
      if (frame.byteLength > config.maxMessageBytes) {
        log.warn({ conn: id, boardId, bytes: frame.byteLength }, 'frame too large');
        conn.peer.close(CloseCode.TooLarge, 'message too large');
        return;
      }
      if (!isBinary) {
        log.warn({ conn: id, boardId }, 'text frame');
        conn.peer.close(CloseCode.MalformedMessage, 'binary frames only');
        return;
      }
      conn.session?.receive(frame);
    });
    ws.on('close', (code, reason) => {
      conn.peer.closed = true;
      connections.delete(ws);
      conn.session?.closed();
      log.info({ conn: id, boardId, code, reason: reason.toString() }, 'connection close');
    });
  }

  const tick = setInterval(() => {
    const now = Date.now();
    for (const [ws, conn] of connections) {
      if (now - conn.lastPingAt >= config.pingIntervalMs) {
        if (conn.awaitingPong) {
          log.info({ conn: conn.peer.id }, 'no pong: terminating');
          ws.terminate();
          continue;
        }
        conn.awaitingPong = true;
        conn.lastPingAt = now;
        ws.ping();
      }
      if (now - conn.lastSentAt >= config.idleFrameAfterMs) conn.peer.send(HEARTBEAT_FRAME);
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
      const open = [...connections.keys()];
      const gone = open.map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())));
      for (const ws of open) connections.get(ws)?.peer.close(CloseCode.ServiceRestart, 'server restarting');
      const timer = new Promise<void>((resolve) => setTimeout(resolve, Math.min(2000, config.shutdownTimeoutMs)).unref());
      await Promise.race([Promise.all(gone), timer]);
      for (const ws of open) if (ws.readyState !== ws.CLOSED) ws.terminate();
      wss.close();
    },
  };
}
