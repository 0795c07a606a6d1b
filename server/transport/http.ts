/**
 * Plain HTTP on the sync port: /healthz (process up), /readyz (storage reachable and not shutting
 * down: 503 otherwise, so a load balancer stops sending joins during a drain; with scale-out also
 * Redis, so joins go to servers that can reach the others) and /metrics
 * (Prometheus text; with METRICS_TOKEN only for `Authorization: Bearer <token>`).
 * Everything else is 404; methods other than GET/HEAD are 405.
 *
 * No CORS: probes and scrapers are not browsers, and a page on any origin must not read them.
 * /readyz names the failing dependency only; the error itself goes to the log.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';

export interface HealthInfo {
  boards: number;
  connections: number;
  shuttingDown: boolean;
}

export interface HttpOptions {
  metrics?: Metrics | null;
  /** Resolves if storage answers; rejects (or times out) otherwise. */
  checkStorage?: () => Promise<void>;
  /** More readiness checks by name (e.g. `redis`); a failure answers 503 `<name>-unavailable`. */
  checks?: Record<string, () => Promise<void>>;
  /** When set, /metrics answers 401 unless `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string | null;
  /** Where failed readiness checks are reported (their messages never go to the client). */
  log?: Logger;
}

/** Constant-time: both sides hashed first, so neither length nor content leaks through timing. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(token)) && match !== null;
}

/** A probe must answer even if storage hangs. */
const READY_TIMEOUT_MS = 2_000;
/** Longer request targets are refused before any parsing. */
const MAX_URL_LENGTH = 2_048;

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(head ? undefined : body);
}

function sendJson(res: ServerResponse, status: number, body: unknown, head = false): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body), head);
}

async function checkReady(check: (() => Promise<void>) | undefined): Promise<string | null> {
  if (!check) return null;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('storage check timed out')), READY_TIMEOUT_MS);
      }),
    ]);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
}

export function createHttpHandler(health: () => HealthInfo, options: HttpOptions = {}) {
  const startedAt = Date.now();
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    if (url.length > MAX_URL_LENGTH) {
      sendJson(res, 414, { error: 'request target too long' });
      return;
    }
    const path = url.split('?')[0];
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('Allow', 'GET, HEAD');
      sendJson(res, 405, { error: 'method not allowed' });
      return;
    }
    if (path === '/healthz') {
      const info = health();
      sendJson(
        res,
        info.shuttingDown ? 503 : 200,
        { status: info.shuttingDown ? 'shutting-down' : 'ok', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), ...info },
        head,
      );
      return;
    }
    if (path === '/readyz') {
      void (async () => {
        if (health().shuttingDown) return sendJson(res, 503, { status: 'shutting-down' }, head);
        const checks: [string, (() => Promise<void>) | undefined][] = [['storage', options.checkStorage], ...Object.entries(options.checks ?? {})];
        for (const [name, check] of checks) {
          const failed = await checkReady(check);
          if (failed === null) continue;
          options.log?.warn({ check: name, error: failed }, 'readiness check failed');
          return sendJson(res, 503, { status: `${name}-unavailable` }, head);
        }
        sendJson(res, 200, { status: 'ready' }, head);
      })();
      return;
    }
    if (path === '/metrics' && options.metrics) {
      if (options.metricsToken && !bearerMatches(req.headers.authorization, options.metricsToken)) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        sendJson(res, 401, { error: 'metrics token required' }, head);
        return;
      }
      const registry = options.metrics.registry;
      registry.metrics().then(
        (text) => send(res, 200, registry.contentType, text, head),
        (err: unknown) => sendJson(res, 500, { error: `metrics failed: ${String(err)}` }, head),
      );
      return;
    }
    sendJson(res, 404, { error: 'not found' }, head);
  };
}
