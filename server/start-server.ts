/** Builds and starts the sync server: config -> storage -> rooms -> transport -> listen. */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Config } from './config';
import { createLogger, type Logger } from './logger';
import { SqliteStorage } from './persistence/sqlite';
import type { Storage } from './persistence/storage';
import { RoomRegistry } from './rooms/room-registry';
import { createHttpHandler } from './transport/http';
import { attachWsTransport } from './transport/ws';

export interface RunningServer {
  port: number;
  url: string;
  registry: RoomRegistry;
  connectionCount(): number;
  /** Graceful stop: stop accepting, flush and compact every board, close sockets with 1012. */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  storage?: Storage;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.logger ?? createLogger(config.logLevel);
  let storage = options.storage;
  if (!storage) {
    mkdirSync(config.dataDir, { recursive: true });
    storage = new SqliteStorage(join(config.dataDir, 'commonboard.db'));
  }
  const registry = new RoomRegistry(storage, config, log);
  let shuttingDown = false;
  const http = createServer(
    createHttpHandler(() => ({ boards: registry.loadedCount, connections: transport.connectionCount, shuttingDown })),
  );
  const transport = attachWsTransport(http, registry, config, log);

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
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      await transport.drain();
      await registry.flushAll();
      await transport.closeAll();
      registry.destroyAll();
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
