/** Plain HTTP on the sync port: health for probes and the web app; everything else is 404. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HealthInfo {
  boards: number;
  connections: number;
  shuttingDown: boolean;
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
};

function sendJson(res: ServerResponse, status: number, body: unknown, head = false): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    ...CORS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
    'Cache-Control': 'no-store',
  });
  res.end(head ? undefined : json);
}

export function createHttpHandler(health: () => HealthInfo) {
  const startedAt = Date.now();
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS, 'Access-Control-Max-Age': '86400' });
      res.end();
      return;
    }
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      const info = health();
      sendJson(
        res,
        info.shuttingDown ? 503 : 200,
        { status: info.shuttingDown ? 'shutting-down' : 'ok', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), ...info },
        req.method === 'HEAD',
      );
      return;
    }
    sendJson(res, 404, { error: 'not found' }, req.method === 'HEAD');
  };
}
