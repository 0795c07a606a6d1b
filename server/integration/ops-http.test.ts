/**
 * The operational endpoints are for probes and scrapers, not browsers: no CORS on /healthz,
 * /readyz, /metrics; METRICS_TOKEN guards /metrics; /readyz names the failing dependency but
 * never echoes its error (that goes to the log).
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { SqliteStorage } from '../persistence/sqlite';
import { startServer } from '../start-server';
import { makeTempDir, startTestServer, testConfig } from '../testing/helpers';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const METRICS_TOKEN = 'metrics-token-0123456789';

async function start(overrides: Parameters<typeof startTestServer>[1] = {}): Promise<string> {
  const tmp = makeTempDir();
  cleanups.push(tmp.remove);
  const server = await startTestServer(tmp.dir, { drainMs: 0, ...overrides });
  cleanups.push(() => server.close());
  return `http://127.0.0.1:${server.port}`;
}

describe('operational endpoints', () => {
  it('send no CORS headers to any origin, and refuse preflights', async () => {
    const base = await start();
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const res = await fetch(`${base}${path}`, { headers: { origin: 'https://evil.example' } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
      await res.body?.cancel();
      const preflight = await fetch(`${base}${path}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      });
      expect(preflight.headers.get('access-control-allow-origin'), path).toBeNull();
      expect(preflight.status, path).toBe(405);
    }
  });

  it('with METRICS_TOKEN, /metrics needs the bearer token (401 otherwise); health stays open', async () => {
    const base = await start({ metricsToken: METRICS_TOKEN });
    const get = (authorization?: string) => fetch(`${base}/metrics`, { headers: authorization ? { authorization } : {} });
    for (const bad of [undefined, 'Bearer wrong-token-0123456789', `Basic ${METRICS_TOKEN}`, `Bearer ${METRICS_TOKEN}x`, 'Bearer ']) {
      const res = await get(bad);
      expect(res.status, String(bad)).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      await res.body?.cancel();
    }
    const ok = await get(`Bearer ${METRICS_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('commonboard_connections');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('/readyz answers only {"status":"storage-unavailable"}; the error is logged', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    class BrokenStorage extends SqliteStorage {
      override load(): never {
        throw new Error('SQLITE_IOERR at /secret/path/commonboard.db');
      }
    }
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const server = await startServer(testConfig(tmp.dir, { drainMs: 0 }), {
      logger: createLogger('info', sink),
      storage: new BrokenStorage(`${tmp.dir}/db.sqlite`),
    });
    cleanups.push(() => server.close());
    const res = await fetch(`http://127.0.0.1:${server.port}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('{"status":"storage-unavailable"}');
    expect(out).toContain('SQLITE_IOERR at /secret/path/commonboard.db');
    expect(out).toContain('readiness check failed');
  });
});
