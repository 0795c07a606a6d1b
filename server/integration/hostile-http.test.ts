/**
 * Hostile HTTP against a real server process: malformed request targets, bodies and upgrades each
 * end one request, never the process (a stray exception used to take every board down); and a
 * fallback stream that disconnects while its token is checked gives its connection slot back.
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../../lib/protocol/close-codes';
import { SqliteStorage } from '../persistence/sqlite';
import type { Storage } from '../persistence/storage';
import { startServer } from '../start-server';
import { createLogger } from '../logger';
import {
  TEST_AUTH_SECRET,
  makeTempDir,
  rawClient,
  spawnServer,
  testConfig,
  testToken,
  waitFor,
  type ChildServer,
} from '../testing/helpers';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Sends raw bytes on a fresh TCP connection; resolves with whatever came back before the server closed it (or 2 s). */
function rawHttp(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(done, 1_500);
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      if (answer.includes('\r\n\r\n')) done(); // a whole response head is enough
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(request);
  });
}

async function healthy(port: number): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return res.status === 200;
}

/** Request targets and bodies that once reached a throwing decodeURIComponent or a parser. */
const HOSTILE: string[] = [
  'POST /fallback/board/%E0%A4%A HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n',
  'POST /fallback/%/% HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n',
  'POST /fallback/board/%ZZ HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcd',
  'GET /fallback/%E0%A4%A?token=%%% HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET /fallback/board?token=%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n',
  'OPTIONS /fallback/%C0%AF HTTP/1.1\r\nHost: x\r\nOrigin: null\r\n\r\n',
  'GET /api/boards/%E0%A4%A/links HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %\r\n\r\n',
  'POST /api/boards/%/links/rotate HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n{{{',
  'GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  'GET /b?token=%ZZ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  'GET /healthz%00 HTTP/1.1\r\nHost: x\r\n\r\n',
  'POST /fallback/b/s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03', // a TLS ClientHello on the plain port
  'GET / HTTP/1.1\r\nHost: x\r\n' + 'X: y\r\n'.repeat(3000) + '\r\n',
];

describe('malformed HTTP', () => {
  it('never takes the process down: each request gets an answer or a closed socket, /healthz stays 200', async () => {
    const data = makeTempDir();
    cleanups.push(data.remove);
    const server: ChildServer = await spawnServer(data.dir);
    cleanups.push(() => server.child.kill('SIGKILL'));
    let exited = false;
    void server.exited.then(() => (exited = true));

    for (const request of HOSTILE) {
      const answer = await rawHttp(server.port, request);
      expect(exited, `process died after ${JSON.stringify(request.slice(0, 60))}`).toBe(false);
      // no 5xx from a route that crashed halfway; 4xx or a refused socket are both fine
      expect(answer, JSON.stringify(request.slice(0, 60))).not.toMatch(/^HTTP\/1\.1 5/);
      expect(await healthy(server.port)).toBe(true);
    }
  }, 60_000);
});

/** Storage whose link lookups take `delayMs`: widens the window in which a client can leave during authorization. */
function slowLinks(storage: Storage, delayMs: number): Storage {
  return new Proxy(storage, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop !== 'getBoardLinks' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (boardId: string) => {
        await new Promise((r) => setTimeout(r, delayMs));
        return (value as Storage['getBoardLinks']).call(target, boardId);
      };
    },
  });
}

describe('fallback streams that leave during authorization', () => {
  it('give their slot back, so they cannot lock a board or an address', async () => {
    const data = makeTempDir();
    cleanups.push(data.remove);
    const storage = slowLinks(new SqliteStorage(join(data.dir, 'commonboard.db')), 300);
    const config = testConfig(data.dir, { maxConnectionsPerIp: 3, maxConnectionsPerBoard: 3 });
    const server = await startServer(config, {
      logger: createLogger('silent'),
      storage,
      authSecret: new TextEncoder().encode(TEST_AUTH_SECRET),
    });
    cleanups.push(() => server.close());
    const board = 'leaky';
    const links = await storage.createBoardLinks(board, { edit: 'e'.repeat(32), view: 'v'.repeat(32) });
    const token = testToken(board, { lv: links.edit.version });

    // ten streams, each gone 50 ms into its 300 ms token check
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const controller = new AbortController();
        const res = fetch(`http://127.0.0.1:${server.port}/fallback/${board}?token=${token}`, { signal: controller.signal });
        res.catch(() => {});
        await new Promise((r) => setTimeout(r, 50));
        controller.abort();
      }),
    );
    await new Promise((r) => setTimeout(r, 500)); // every check has finished
    await waitFor(() => server.connectionCount() === 0, { what: 'no connection left' });

    // the board and the address still take new connections
    const client = rawClient(`${server.url}/${board}`);
    cleanups.push(() => client.ws.terminate());
    await client.opened;
    const outcome = await Promise.race([client.closed, new Promise((r) => setTimeout(() => r('still open'), 500))]);
    expect(outcome).toBe('still open');
    expect(outcome).not.toEqual(expect.objectContaining({ code: CloseCode.TryAgainLater }));
  });
});

describe('fallback POSTs', () => {
  it('count against the rate limit even when they carry no frame', async () => {
    const data = makeTempDir();
    cleanups.push(data.remove);
    const config = testConfig(data.dir, { rateLimitMessagesPerSec: 5 });
    const server = await startServer(config, { logger: createLogger('silent'), authSecret: new TextEncoder().encode(TEST_AUTH_SECRET) });
    cleanups.push(() => server.close());
    const board = 'empty-posts';
    const controller = new AbortController();
    cleanups.push(() => controller.abort());
    const res = await fetch(`http://127.0.0.1:${server.port}/fallback/${board}?token=${testToken(board)}`, { signal: controller.signal });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('event: open')) text += (await reader.read()).value ?? '';
    const session = /event: open\ndata: (.*)\n/.exec(text)![1];
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const post = await fetch(`http://127.0.0.1:${server.port}/fallback/${board}/${session}`, { method: 'POST', body: '' });
      statuses.push(post.status);
      if (post.status !== 204) break;
    }
    expect(statuses.at(-1)).toBe(410);
    expect(statuses.length).toBeLessThan(30);
    while (!text.includes('event: close')) text += (await reader.read()).value ?? '';
    expect(text).toContain(`data: ${CloseCode.RateLimited} rate limit exceeded`);
  });
});
