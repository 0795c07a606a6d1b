/**
 * No credential reaches the logs: a real server logs at trace level into memory while clients
 * connect with valid, forged and rotated-link tokens, to bad board ids, over the HTTP fallback and
 * the link API, and while authorization fails with an error; no token or key may appear in any line.
 */
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintServiceToken } from '../../lib/auth/token';
import { createLogger, scrubSecrets, urlForLog } from '../logger';
import { SqliteStorage } from '../persistence/sqlite';
import type { BoardLinks } from '../persistence/storage';
import { startServer, type RunningServer } from '../start-server';
import { connectClient, makeTempDir, rawClient, TEST_AUTH_SECRET, testConfig, testToken, waitFor } from '../testing/helpers';

const SECRET = new TextEncoder().encode(TEST_AUTH_SECRET);

/** Storage whose link lookup fails for one board, with the token in the error (as a driver might echo a query). */
class FailingLinks extends SqliteStorage {
  override async getBoardLinks(boardId: string): Promise<BoardLinks | null> {
    if (boardId === 'boom') throw new Error(`lookup failed for /boom?token=${boomToken}&x=1`);
    return super.getBoardLinks(boardId);
  }
}

const boomToken = testToken('boom', { lv: 1 });
let lines = '';
let server: RunningServer;
let tmp: ReturnType<typeof makeTempDir>;

beforeAll(async () => {
  tmp = makeTempDir();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines += chunk.toString();
      done();
    },
  });
  const config = testConfig(tmp.dir, { logLevel: 'trace' });
  server = await startServer(config, {
    logger: createLogger('trace', sink),
    storage: new FailingLinks(join(tmp.dir, 'commonboard.db')),
    authSecret: SECRET,
  });
});

afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('logs', () => {
  it('never contain a token, share-link key or bearer credential', async () => {
    const http = `http://127.0.0.1:${server.port}`;
    const secrets: string[] = [];
    const keep = (t: string) => (secrets.push(t), t);

    // a valid editor: opens, edits, leaves
    const good = keep(testToken('logs-board'));
    const client = connectClient(server.url, 'logs-board', undefined, { token: good });
    await waitFor(() => client.provider.synced, { what: 'sync' });
    client.doc.getMap('shapes').set('a', 1);
    client.destroy();

    // forged, expired, wrong board, bad board id, failing authorization (logged as an error)
    const forged = keep(testToken('logs-board', { secret: 'another-secret-that-is-long-enough-0123456789' }));
    const expired = keep(testToken('logs-board', { expiresIn: -10 }));
    const other = keep(testToken('elsewhere'));
    keep(boomToken);
    for (const url of [
      `${server.url}/logs-board?token=${forged}`,
      `${server.url}/logs-board?token=${expired}`,
      `${server.url}/logs-board?token=${other}`,
      `${server.url}/bad.id?token=${good}&key=${keep('share-key-0123456789abcdef')}`,
      `${server.url}/boom?token=${boomToken}`,
    ]) {
      const raw = rawClient(url);
      raw.ws.on('error', () => undefined);
      raw.opened.catch(() => undefined); // the failing authorization drops the socket before it opens
      await raw.closed;
    }

    // HTTP fallback with a token, the link API with a bad and a good service token
    const fb = await fetch(`${http}/fallback/bad.id?token=${good}`);
    await fb.body?.cancel();
    const service = keep(await mintServiceToken(SECRET));
    await fetch(`${http}/api/boards/logs-board/links?key=${keep('query-key-abcdef0123456789')}`, {
      headers: { authorization: `Bearer ${keep('not-a-real-service-token-xyz')}` },
    });
    await fetch(`${http}/api/boards/logs-board/links`, { method: 'POST', headers: { authorization: `Bearer ${service}` } });

    await waitFor(() => lines.includes('authorization failed') && lines.includes('invalid board id'), { what: 'log lines' });
    expect(lines).toContain('connection open');
    expect(lines).toContain('connection refused: unauthorized');
    for (const secret of secrets) {
      expect(lines).not.toContain(secret);
      expect(lines).not.toContain(secret.split('.').pop()!); // not even a token's signature
    }
    // the paths stay useful
    expect(lines).toContain('"url":"/bad.id"');
    expect(lines).toContain('"url":"/boom"');
  });

  it('redacts secret fields at any depth and strips query strings from URLs', () => {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const log = createLogger('info', sink);
    log.info({ req: { method: 'GET', url: '/b?token=T1', headers: { authorization: 'Bearer T2' } } }, 'req');
    log.info({ token: 'T3', key: 'T4', headers: { authorization: 'Bearer T5' }, upgrade: { url: '/b?token=T6', token: 'T7' } }, 'fields');
    log.error({ err: new Error('GET /b?key=T8 with Authorization: Bearer T9') }, 'err');
    for (const t of ['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9']) expect(out).not.toContain(t);
    expect(out).toContain('"url":"/b"');
    expect(urlForLog('/x?token=a#b')).toBe('/x');
    expect(scrubSecrets('a?token=abc&key=def&z=1')).toBe('a?token=[redacted]&key=[redacted]&z=1');
  });
});
