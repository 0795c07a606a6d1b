/**
 * Property-based fuzzing of every HTTP route of the sync server (health, metrics, the internal link
 * API, the HTTP fallback, files, the WebSocket upgrade) over raw TCP against a real server: request
 * targets full of broken percent-encodings, odd methods, headers and bodies. Properties: no request
 * is answered 500 or kills the server, nothing reaches the request guard's catch-all
 * (errors_total{kind="http"} stays 0), and /healthz answers after every request.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../start-server';
import { makeTempDir, startTestServer, testToken } from '../testing/helpers';
import { fuzzParams } from './budget';

let server: RunningServer;
let tmp: ReturnType<typeof makeTempDir>;

beforeAll(async () => {
  tmp = makeTempDir();
  server = await startTestServer(tmp.dir);
});
afterAll(async () => {
  await server.close();
  tmp.remove();
});

/** Sends one raw request; resolves with the status code, or 0 if the server closed without answering. */
function send(request: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    let answer = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      resolve(status ? Number(status[1]) : 0);
    };
    const timer = setTimeout(done, 1_000);
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      if (answer.includes('\r\n')) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(request);
  });
}

const segment = fc.oneof(
  fc.constantFrom('fallback', 'api', 'boards', 'links', 'resolve', 'rotate', 'healthz', 'readyz', 'metrics', 'board-1', '', 'files', 'ab'.repeat(32)),
  fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%00', '%2F', '..', '%C0%AF', '%FF%FE', '%%', 'a%', '%e2%82'),
  fc.stringMatching(/^[A-Za-z0-9_%.~-]{1,12}$/),
);
const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => `/${parts.join('/')}`);
const query = fc.oneof(
  fc.constant(''),
  fc.constant(`?token=${testToken('board-1')}`),
  fc.constant(`?token=${testToken('board-1', { role: 'viewer' })}`),
  fc.stringMatching(/^\?[A-Za-z0-9=&%._-]{0,24}$/),
);
const method = fc.constantFrom('GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH', 'BREW');
const header = fc.oneof(
  fc.constant('Origin: http://evil.example'),
  fc.constant('Origin: null'),
  fc.constant('Authorization: Bearer %'),
  fc.constant('Authorization: Bearer a.b.c'),
  fc.constant('Content-Type: application/json'),
  fc.constant('Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13'),
  fc.constant('Upgrade: websocket\r\nConnection: Upgrade'),
  fc.constant('X-Forwarded-For: 1.2.3.4'),
);
const body = fc.oneof(
  fc.constant(Buffer.alloc(0)),
  fc.constant(Buffer.from('{"key":"aaaaaaaaaaaaaaaaaaaaaaaa"}')),
  fc.constant(Buffer.from('{"kind":"edit"}')),
  fc.constant(Buffer.from([0, 0, 0, 3, 0, 0, 0])), // a fallback frame batch
  fc.constant(Buffer.from([0xff, 0xff, 0xff, 0xff])), // a batch announcing 4 GiB
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
);

const request = fc.record({ method, path, query, headers: fc.array(header, { maxLength: 3 }), body }).map((r) => {
  const head = [`${r.method} ${r.path}${r.query} HTTP/1.1`, 'Host: 127.0.0.1', ...r.headers, `Content-Length: ${r.body.length}`, 'Connection: close'];
  return { ...r, bytes: Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), r.body]) };
});

async function httpErrors(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
  const line = /^commonboard_errors_total\{kind="http"\} (\d+)/m.exec(text);
  return line ? Number(line[1]) : 0;
}

describe('HTTP routes (property-based)', () => {
  it('no request is answered 500, reaches the catch-all guard, or stops the server', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const status = await send(r.bytes);
        expect(status, `${r.method} ${r.path}${r.query}`).not.toBe(500);
        expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
      }),
      fuzzParams(150),
    );
    expect(await httpErrors()).toBe(0);
  }, 120_000);
});
