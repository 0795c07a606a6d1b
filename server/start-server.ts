/** Builds and starts the sync server: config -> storage -> rooms -> transport -> listen. */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadAuthSecret } from '../lib/auth/secret';
import { BoardAuth } from './auth/board-auth';
import type { Config } from './config';
import { createLogger, type Logger } from './logger';
import { Metrics } from './metrics/metrics';
import { SqliteStorage } from './persistence/sqlite';
import type { Storage } from './persistence/storage';
import { RoomRegistry } from './rooms/room-registry';
import { createApiHandler } from './transport/api';
import { createHttpHandler } from './transport/http';
import { createHttpFallback } from './transport/http-fallback';
import { attachWsTransport } from './transport/ws';

export interface RunningServer {
  port: number;
  url: string;
  registry: RoomRegistry;
  connectionCount(): number;
  /** Graceful stop: stop accepting, close sockets with 1012 spread over drainMs, flush and compact every board. */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  storage?: Storage;
  /** Token signing key; default: AUTH_SECRET or DATA_DIR/auth-secret (see lib/auth/secret.ts). */
  authSecret?: Uint8Array;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.logger ?? createLogger(config.logLevel);
  let storage = options.storage;
  if (!storage) {
    mkdirSync(config.dataDir, { recursive: true });
    storage = new SqliteStorage(join(config.dataDir, 'commonboard.db'));
  }
  const metrics: Metrics = new Metrics({
    connections: (): number => transport.connectionCount,
    boardsLoaded: (): number => registry.loadedCount,
  });
  const registry = new RoomRegistry(storage, { ...config, metrics }, log);
  const authSecret = options.authSecret ?? loadAuthSecret({ AUTH_SECRET: process.env.AUTH_SECRET }, config.dataDir);
  const auth = new BoardAuth(authSecret, storage, log);
  const api = createApiHandler({ secret: authSecret, storage, auth, log });
  let shuttingDown = false;
  const readyStorage = storage;
  const httpHandler = createHttpHandler(
    () => ({ boards: registry.loadedCount, connections: transport.connectionCount, shuttingDown }),
    {
      metrics,
      // '.' is not allowed in board ids, so this reads an index and never a real board
      checkStorage: async () => void (await readyStorage.load('.readyz')),
    },
  );
  // /api/* is the internal link API (service token); the rest is health and metrics
  // /fallback/* carries sync frames over plain HTTP for clients whose WebSockets are blocked
  const fallback = createHttpFallback(registry, config, log, metrics, auth);
  const http = createServer((req, res) => api(req, res) || fallback.handle(req, res) || httpHandler(req, res));
  const transport = attachWsTransport(http, registry, config, log, metrics, auth);

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  http.on('error', (err) => log.error({ err }, 'http server error'));
  const { port } = http.address() as AddressInfo;
  log.info({ host: config.host, port, dataDir: config.dataDir }, 'listening');

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      log.info('shutting down');
      // staggered 1012s first (sockets are served until their turn), then wait for queued frames;
      // the port stays open meanwhile so /readyz can say 503 and late joiners get a clean 1012
      await Promise.all([transport.closeAll(), fallback.closeAll()]);
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      await transport.drain();
      await registry.flushAll();
      registry.destroyAll();
      metrics.stop();
      await storage.close();
      http.closeAllConnections();
      await httpClosed;
      log.info('shut down');
    })();
    return closing;
  };

  return {
    port,
    url: `ws://${config.host}:${port}`,
    registry,
    connectionCount: () => transport.connectionCount,
    close,
  };
}
