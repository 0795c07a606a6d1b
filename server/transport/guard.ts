/**
 * The outermost HTTP request handler: whatever a route throws synchronously (a malformed
 * percent-encoding, a bug) ends that one request with a 500 — logged and counted as
 * `commonboard_errors_total{kind="http"}` — and never reaches the process's uncaught-exception path,
 * which would take every board down with it. Routes that go async catch their own promises.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

export function guardRequests(handler: Handler, log: Logger, metrics: Metrics | null): Handler {
  return (req, res) => {
    // an aborted or malformed body surfaces here instead of as an unhandled 'error' event
    req.on('error', ignore);
    try {
      handler(req, res);
    } catch (err) {
      failRequest(req, res, err, log, metrics);
    }
  };
}

export function failRequest(req: IncomingMessage, res: ServerResponse, err: unknown, log: Logger, metrics: Metrics | null): void {
  metrics?.error('http');
  log.error({ err, method: req.method, path: pathOf(req.url) }, 'request failed');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = '{"error":"internal error"}';
  res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, Connection: 'close' });
  res.end(body);
}

/** The path without the query string: queries carry tokens, which never go to the logs. */
export function pathOf(url: string | undefined): string {
  const path = (url ?? '').split('?')[0];
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}

function ignore(): void {}
