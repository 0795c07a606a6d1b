/**
 * RFC 6455 opening handshake, server side: validate the upgrade request and write the 101 (or the
 * refusal) on the raw socket. No extensions (permessage-deflate is declined by not answering it:
 * its zlib state costs tens of KB per socket). y-websocket asks for no subprotocol; a client that
 * asks for some gets its first one echoed, as `ws` did (a browser fails a connection whose request
 * named protocols and whose answer names none).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** base64 of 16 bytes: 22 characters + "==". */
const KEY_PATTERN = /^[A-Za-z0-9+/]{22}==$/;

export type HandshakeResult = { ok: true; key: string; protocol: string | null } | { ok: false; status: 400 | 426; reason: string };
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Checks the headers an RFC 6455 client must send; `key` is Sec-WebSocket-Key when they pass. */
export function checkUpgrade(req: IncomingMessage): HandshakeResult {
  if (req.method !== 'GET') return { ok: false, status: 400, reason: 'method must be GET' };
  const upgrade = req.headers.upgrade;
  if (!upgrade || upgrade.toLowerCase() !== 'websocket') return { ok: false, status: 400, reason: 'Upgrade must be websocket' };
  const connection = req.headers.connection;
  if (!connection || !connection.toLowerCase().split(',').some((t) => t.trim() === 'upgrade')) {
    return { ok: false, status: 400, reason: 'Connection must include upgrade' };
  }
  const key = req.headers['sec-websocket-key'];
  if (!key || !KEY_PATTERN.test(key.trim())) return { ok: false, status: 400, reason: 'missing or invalid Sec-WebSocket-Key' };
  if (req.headers['sec-websocket-version'] !== '13') return { ok: false, status: 426, reason: 'unsupported Sec-WebSocket-Version' };
  const requested = req.headers['sec-websocket-protocol'];
  const protocol = requested ? requested.split(',')[0].trim() : null;
  if (protocol !== null && !TOKEN.test(protocol)) return { ok: false, status: 400, reason: 'invalid Sec-WebSocket-Protocol' };
  return { ok: true, key: key.trim(), protocol };
}

export function acceptKey(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/** Completes the upgrade: after this the socket carries frames. */
export function writeAccept(socket: Duplex, key: string, protocol: string | null = null): void {
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n` +
      (protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n\r\n` : '\r\n'),
  );
}

/** Refuses a malformed upgrade request and closes the socket. */
export function writeRefusal(socket: Duplex, status: 400 | 426 | 403, reason: string): void {
  const text = status === 400 ? 'Bad Request' : status === 426 ? 'Upgrade Required' : 'Forbidden';
  const extra = status === 426 ? 'Sec-WebSocket-Version: 13\r\n' : '';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n${extra}Content-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
  );
}
