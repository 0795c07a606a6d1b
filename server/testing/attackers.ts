/**
 * The mixed attack of the hardening issue, as bounded loops against a server on this machine:
 * malformed HTTP, fragment floods, ping floods, fallback streams that leave during their token
 * check, and viewer writes in every encoding. Each attacker reconnects whenever it is closed and
 * stops by itself at `until`. Used by server/integration/mixed-attack.test.ts and `npm run bench:attack`
 * (there in a child process, attack-main.ts, so the attackers' CPU does not slow the measuring clients).
 */
import { connect, type Socket } from 'node:net';
import * as Y from 'yjs';
import { testToken } from './helpers';

export const ATTACK_KINDS = ['http', 'fragments', 'pings', 'fallback', 'viewer'] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number];

export interface AttackOptions {
  port: number;
  /** The board under attack (the healthy board is another one). */
  boardId: string;
  /** Date.now() at which every loop stops. */
  until: number;
  kinds?: readonly AttackKind[];
}

/** Requests that reached throwing code or parsers in the past (see hostile-http.test.ts). */
export const HOSTILE_REQUESTS: readonly string[] = [
  'POST /fallback/board/%E0%A4%A HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n',
  'POST /fallback/%/% HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n',
  'GET /fallback/%E0%A4%A?token=%%% HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET /api/boards/%E0%A4%A/links HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %\r\n\r\n',
  'GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  'POST /fallback/b/s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03',
];

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const MASK = [0x12, 0x34, 0x56, 0x78];

/** A masked client frame (payload < 126 bytes is all these attacks need). */
export function maskedFrame(opcode: number, payload: Uint8Array, fin = true): Buffer {
  if (payload.length > 125) throw new Error('maskedFrame: payload too long');
  const out = Buffer.alloc(6 + payload.length);
  out[0] = (fin ? 0x80 : 0) | opcode;
  out[1] = 0x80 | payload.length;
  out.set(MASK, 2);
  for (let i = 0; i < payload.length; i++) out[6 + i] = payload[i] ^ MASK[i & 3];
  return out;
}

/** Raw TCP + WebSocket handshake; resolves once the 101 arrived (null if refused or closed first). */
function upgradedSocket(port: number, path: string, readable = true): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => resolve(null));
    socket.once('close', () => resolve(null));
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (!head.startsWith('HTTP/1.1 101')) {
        socket.destroy();
        return resolve(null);
      }
      if (readable) socket.resume();
      else socket.pause(); // never read: what the server sends piles up on its side
      resolve(socket);
    };
    socket.on('data', onData);
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `chunk` as fast as the socket takes it until it closes or time is up. */
async function flood(socket: Socket, until: number, chunk: () => Buffer): Promise<void> {
  let open = true;
  socket.once('close', () => (open = false));
  while (open && Date.now() < until) {
    if (!socket.write(chunk())) {
      await Promise.race([new Promise((r) => socket.once('drain', r)), pause(50)]);
    }
    if (Math.random() < 0.01) await pause(0); // let the loop breathe
  }
  socket.destroy();
}

function hostileUpdate(n: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('hack').set(`viewer-${n}`, 'written by a viewer');
  const u = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return u;
}

/** Every encoding of a document write, stock and padded. */
function viewerFrames(n: number): Uint8Array[] {
  const u = hostileUpdate(n);
  const len = u.length < 128 ? [u.length] : [0x80 | (u.length & 0x7f), u.length >> 7];
  return [[0, 2], [0, 1], [0x80, 0x00, 2], [0, 0x82, 0x00], [0x80, 0x00, 0x81, 0x00]].map((head) => Uint8Array.from([...head, ...len, ...u]));
}

/** Sends one raw request on a fresh connection; resolves at the first answer byte, a close, or 500 ms. */
export function sendRawRequest(port: number, request: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.setTimeout(500, done);
    socket.on('data', done);
    socket.on('error', done);
    socket.on('close', done);
    socket.write(request, 'latin1');
  });
}

async function httpLoop(port: number, until: number): Promise<number> {
  let sent = 0;
  while (Date.now() < until) await sendRawRequest(port, HOSTILE_REQUESTS[sent++ % HOSTILE_REQUESTS.length]);
  return sent;
}

async function fragmentLoop(port: number, boardId: string, until: number): Promise<number> {
  let rounds = 0;
  const first = maskedFrame(0x2, new Uint8Array([0]), false);
  const empty = maskedFrame(0x0, new Uint8Array(0), false);
  while (Date.now() < until) {
    rounds++;
    const socket = await upgradedSocket(port, `/${boardId}?token=${testToken(boardId)}`);
    if (!socket) {
      await pause(20);
      continue;
    }
    socket.write(first);
    await flood(socket, until, () => empty);
  }
  return rounds;
}

async function pingLoop(port: number, boardId: string, until: number): Promise<number> {
  let rounds = 0;
  const ping = maskedFrame(0x9, new Uint8Array(125).fill(7));
  while (Date.now() < until) {
    rounds++;
    // never reads: pongs can only pile up on the server's side
    const socket = await upgradedSocket(port, `/${boardId}?token=${testToken(boardId)}`, false);
    if (!socket) {
      await pause(20);
      continue;
    }
    await flood(socket, until, () => ping);
  }
  return rounds;
}

async function fallbackLoop(port: number, boardId: string, until: number): Promise<number> {
  let opened = 0;
  const token = testToken(boardId);
  while (Date.now() < until) {
    const batch = Array.from({ length: 20 }, async () => {
      opened++;
      const controller = new AbortController();
      const res = fetch(`http://127.0.0.1:${port}/fallback/${boardId}?token=${token}`, { signal: controller.signal });
      res.catch(() => undefined);
      await pause(Math.random() * 5);
      controller.abort();
    });
    await Promise.all(batch);
    await pause(10);
  }
  return opened;
}

async function viewerLoop(port: number, boardId: string, until: number): Promise<number> {
  let sent = 0;
  const token = testToken(boardId, { role: 'viewer', name: 'attacker' });
  while (Date.now() < until) {
    const socket = await upgradedSocket(port, `/${boardId}?token=${token}`);
    if (!socket) {
      await pause(20);
      continue;
    }
    let open = true;
    socket.once('close', () => (open = false));
    // stock encodings first (dropped, the socket lives on), then padded ones (4422, reconnect)
    for (const frame of viewerFrames(sent)) {
      if (!open) break;
      sent++;
      socket.write(maskedFrameLong(frame));
      await pause(2);
    }
    await pause(20);
    socket.destroy();
  }
  return sent;
}

/** maskedFrame for payloads of any size up to 64 KiB. */
function maskedFrameLong(payload: Uint8Array): Buffer {
  if (payload.length <= 125) return maskedFrame(0x2, payload);
  const out = Buffer.alloc(8 + payload.length);
  out[0] = 0x82;
  out[1] = 0x80 | 126;
  out.writeUInt16BE(payload.length, 2);
  out.set(MASK, 4);
  for (let i = 0; i < payload.length; i++) out[8 + i] = payload[i] ^ MASK[i & 3];
  return out;
}

/** Runs every attack kind (several connections for the floods) until `until`; resolves with counts per kind. */
export async function runAttack({ port, boardId, until, kinds = ATTACK_KINDS }: AttackOptions): Promise<Record<string, number>> {
  const on = new Set(kinds);
  const jobs: [string, Promise<number>][] = [];
  if (on.has('http')) jobs.push(['http requests', httpLoop(port, until)]);
  if (on.has('fragments')) for (let i = 0; i < 2; i++) jobs.push([`fragment flood ${i}`, fragmentLoop(port, boardId, until)]);
  if (on.has('pings')) for (let i = 0; i < 2; i++) jobs.push([`ping flood ${i}`, pingLoop(port, boardId, until)]);
  if (on.has('fallback')) jobs.push(['fallback streams abandoned', fallbackLoop(port, boardId, until)]);
  if (on.has('viewer')) jobs.push(['viewer write frames', viewerLoop(port, boardId, until)]);
  const counts = await Promise.all(jobs.map(([, job]) => job));
  return Object.fromEntries(jobs.map(([name], i) => [name, counts[i]]));
}
