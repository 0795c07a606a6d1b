/** Half-sent requests on real sockets: the per-IP pending cap, the headers timeout, stalled upgrades, and SSE streams left alone. */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BoardAuth } from '../auth/board-auth';
import type { RunningServer } from '../start-server';
import { makeTempDir, startTestServer, testToken, waitFor } from '../testing/helpers';
import { KEY } from './websocket/wire-client';

const TIMEOUT_MS = 400;
/** Cap 3, default (10 s) timeout: connections stay pending as long as the test needs. */
let capped: RunningServer;
/** Short handshake timeout. */
let quick: RunningServer;
const dirs: ReturnType<typeof makeTempDir>[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  dirs.push(makeTempDir(), makeTempDir());
  capped = await startTestServer(dirs[0].dir, { maxPendingConnectionsPerIp: 3 });
  quick = await startTestServer(dirs[1].dir, { handshakeTimeoutMs: TIMEOUT_MS });
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all([capped.close(), quick.close()]);
  for (const d of dirs) d.remove();
});

interface Raw {
  socket: Socket;
  received: string;
  closed: boolean;
}

async function raw(on: RunningServer, first = ''): Promise<Raw> {
  const socket = connect(Number(new URL(on.url).port), '127.0.0.1');
  sockets.push(socket);
  const r: Raw = { socket, received: '', closed: false };
  socket.on('data', (d: Buffer) => (r.received += d.toString('latin1')));
  socket.on('error', () => {}); // a destroyed connection may be reset
  socket.on('close', () => (r.closed = true));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  if (first) socket.write(first);
  return r;
}

const upgradeRequest = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`;

describe('pending connections per IP', () => {
  it('destroys a connection over the cap at once; one that completes its request frees its slot', async () => {
    const half = 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n';
    const pending = [await raw(capped, half), await raw(capped, half), await raw(capped, 'GET /fallb')];
    const over = await raw(capped, half);
    await waitFor(() => over.closed, { timeout: 5_000, what: 'the 4th pending connection to be destroyed' });
    expect(over.received).toBe('');
    expect(pending.map((p) => p.closed)).toEqual([false, false, false]);

    // completing a request counts it out: its answer proves the server saw it before the next connects
    pending[0].socket.write('\r\n');
    await waitFor(() => pending[0].received.includes('\r\n\r\n'), { what: 'healthz answer' });
    expect(pending[0].received).toMatch(/^HTTP\/1.1 200 /);
    const next = await raw(capped, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await waitFor(() => next.received.includes('\r\n\r\n'), { what: 'answer on the freed slot' });
    expect(next.received).toMatch(/^HTTP\/1.1 200 /);

    // a completed upgrade is not pending either (the WebSocket caps take over)
    const ws = await raw(capped, upgradeRequest(`/guard-ws?token=${testToken('guard-ws')}`));
    await waitFor(() => ws.received.includes('\r\n\r\n'), { what: '101' });
    expect(ws.received).toMatch(/^HTTP\/1.1 101 /);
    const another = await raw(capped, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await waitFor(() => another.received.includes('\r\n\r\n') || another.closed, { what: 'answer beside an open WebSocket' });
    expect(another.received).toMatch(/^HTTP\/1.1 200 /);
  });
});

describe('handshake timeout', () => {
  it('ends a half-sent upgrade request and a connection that sends nothing', async () => {
    const half = await raw(quick, 'GET /guard-half HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n');
    const silent = await raw(quick);
    await waitFor(() => half.closed && silent.closed, { timeout: 10_000, what: 'stalled connections to be closed' });
    expect(half.received).not.toContain('101');
  });

  it('destroys an upgrade request that is never answered (authorization stuck)', async () => {
    const stuck = vi.spyOn(BoardAuth.prototype, 'authorize').mockReturnValueOnce(new Promise(() => {}));
    try {
      const w = await raw(quick, upgradeRequest(`/guard-stuck?token=${testToken('guard-stuck')}`));
      await waitFor(() => w.closed, { timeout: 10_000, what: 'the unanswered upgrade to be destroyed' });
      expect(w.received).toBe('');
    } finally {
      stuck.mockRestore();
    }
  });

  it('leaves an SSE fallback stream open well past the timeout (only the request itself is timed)', async () => {
    const sse = await raw(quick, `GET /fallback/guard-sse?token=${testToken('guard-sse')} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n`);
    await waitFor(() => sse.received.includes('event: open'), { what: 'SSE open event' });
    // the check runs every TIMEOUT_MS / 4: four timeouts give it many chances to (wrongly) fire
    await new Promise((r) => setTimeout(r, 4 * TIMEOUT_MS));
    expect(sse.closed).toBe(false);
    // and the WebSocket upgrades that came through stay open too
    const ws = await raw(quick, upgradeRequest(`/guard-sse?token=${testToken('guard-sse')}`));
    await waitFor(() => ws.received.includes('\r\n\r\n'), { what: '101' });
    await new Promise((r) => setTimeout(r, 4 * TIMEOUT_MS));
    expect(ws.closed).toBe(false);
    expect(sse.closed).toBe(false);
  });
});
