/** Builds and starts the sync server: config -> storage -> rooms -> transport -> listen. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadAuthSecret } from '../lib/auth/secret';
import { BoardAuth } from './auth/board-auth';
import type { Config } from './config';
import { AdmissionControl } from './limits/admission';
import { ConnectionGate } from './limits/gate';
import { createLogger, type Logger } from './logger';
import { Metrics } from './metrics/metrics';
import { DB_FILE, secureDataDir } from './persistence/data-dir';
import { PostgresStorage } from './persistence/postgres';
import { SqliteStorage } from './persistence/sqlite';
import type { Storage } from './persistence/storage';
import { RoomRegistry } from './rooms/room-registry';
import { ClusterBoardAuth } from './scale/cluster-auth';
import { ClusterSync } from './scale/cluster-sync';
import { RedisBus } from './scale/redis-bus';
import { isSharedStorage } from './persistence/shared-storage';
import { createApiHandler } from './transport/api';
import { createHistoryApiHandler } from './transport/history-api';
import { CorruptVersions } from './history/corrupt-versions';
import { HistoryService } from './history/history-service';
import { RetentionJob } from './history/retention';
import { VersionCapture } from './history/version-capture';
import { hasVersionStore } from './persistence/versions';
import { createHttpHandler } from './transport/http';
import { guardRequests } from './transport/guard';
import { createHttpFallback } from './transport/http-fallback';
import { guardPendingConnections } from './transport/pending-guard';
import { attachWsTransport } from './transport/ws';
import { openFileStore, type OpenedFiles } from './files/open';
import { createFilesHandler } from './files/routes';

export interface RunningServer {
  port: number;
  url: string;
  registry: RoomRegistry;
  storage: Storage;
  /** Version history and trash; null when storage keeps no versions. */
  history: HistoryService | null;
  /** Images on boards (server/files); null when storage is neither SQLite nor Postgres (some tests). */
  files: OpenedFiles | null;
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
  if (!storage && config.databaseUrl) {
    storage = await PostgresStorage.open(config.databaseUrl);
  } else if (!storage) {
    secureDataDir(config.dataDir, log, { createDb: true });
    storage = new SqliteStorage(join(config.dataDir, DB_FILE), {
      checkpointEveryMs: 1_000,
      synchronous: config.syncDurability ?? 'normal',
      onCheckpointError: (message) => log.error({ message }, 'WAL checkpoint worker failed; checkpoints run inline again'),
    });
  }
  // with other storage DATA_DIR may still hold auth-secret
  if (options.storage || config.databaseUrl) secureDataDir(config.dataDir, log, { createDb: false });
  // scale-out: storage several servers share -> keep rooms in step with the other servers
  const shared = isSharedStorage(storage) ? storage : null;
  let bus: RedisBus | null = null;
  const metrics: Metrics = new Metrics({
    connections: (): number => transport.connectionCount + fallback.connectionCount,
    boardsLoaded: (): number => registry.loadedCount,
    ...(shared && { clusterBacklog: (): number => cluster?.backlog ?? 0 }),
    ...(config.redisUrl && shared && { redisConnected: (): number => (bus?.connected ? 1 : 0) }),
  });
  const serverId = config.serverId ?? 'server';
  const cluster = shared ? new ClusterSync(shared, { serverId, pollMs: config.clusterPollMs ?? 1_000, gapGraceMs: 100 }, log, metrics) : null;
  // version history: automatic capture in every room, the service behind the internal API, retention
  const versionStore = hasVersionStore(storage) ? storage : null;
  const corrupt = new CorruptVersions();
  const capture = versionStore
    ? new VersionCapture({ store: versionStore, settleMs: config.historySettleMs, intervalMs: config.historyIntervalMs, log, metrics, corrupt })
    : null;
  if (!versionStore) log.warn('storage keeps no versions: version history and the trash are off');
  const registry = new RoomRegistry(storage, { ...config, metrics, replication: cluster, lifecycle: cluster, history: capture }, log);
  const authSecret = options.authSecret ?? loadAuthSecret({ AUTH_SECRET: process.env.AUTH_SECRET }, config.dataDir);
  const auth = cluster ? new ClusterBoardAuth(authSecret, storage, log, cluster) : new BoardAuth(authSecret, storage, log);
  if (cluster && auth instanceof ClusterBoardAuth) {
    if (config.redisUrl) {
      bus = new RedisBus(config.redisUrl, log, {
        message: (boardId, bytes) => cluster.receive(boardId, bytes),
        serverMessage: (bytes) => cluster.receiveServers(bytes),
        reconnected: () => cluster.reconnected(),
        publishFailed: () => metrics.error('cluster_publish'),
      });
      if (!(await bus.start())) log.warn({ serverId }, 'redis unreachable at start; retrying, relaying through storage polls meanwhile');
    }
    cluster.start(
      bus,
      (boardId, kind, version) => auth.revokeLocally(boardId, kind, version),
      (boardId) => auth.deletedElsewhere(boardId),
    );
  }
  // storage is the authority on rotations: also enforced where no rotation message arrived
  auth.startLinkSweep(config.linkSweepMs ?? 5_000);
  const api = createApiHandler({ secret: authSecret, storage, auth, log });
  const history = versionStore && capture ? new HistoryService({ registry, store: versionStore, capture, auth, corrupt, log }) : null;
  const historyApi = createHistoryApiHandler({ secret: authSecret, history, log });
  const retention = versionStore ? new RetentionJob(versionStore, config, log, metrics, corrupt) : null;
  retention?.start();
  // files: bytes under DATA_DIR/files + SQLite metadata, or all in Postgres; purged boards' files collected
  const files = await openFileStore(config, storage, log);
  const filesHandler = files
    ? createFilesHandler({ store: files.store, auth, config, tmpDir: files.tmpDir, log, metrics })
    : () => false;
  let shuttingDown = false;
  const readyStorage = storage;
  const httpHandler = createHttpHandler(
    () => ({ boards: registry.loadedCount, connections: transport.connectionCount + fallback.connectionCount, shuttingDown }),
    {
      metrics,
      metricsToken: config.metricsToken ?? null,
      log,
      // '.' is not allowed in board ids, so this reads an index and never a real board
      checkStorage: async () => void (await readyStorage.load('.readyz')),
      ...(bus && { checks: { redis: () => bus!.ping() } }),
    },
  );
  // /api/* is the internal API (service token): versions and trash, then links; the rest is health and metrics
  // /fallback/* carries sync frames over plain HTTP for clients whose WebSockets are blocked
  // one admission for both transports, so per-board / per-IP caps can't be doubled by mixing them
  const gate = new ConnectionGate(new AdmissionControl(config), auth, log, metrics);
  const fallback = createHttpFallback(registry, config, log, metrics, auth, gate);
  const http = createServer(guardRequests((req, res) => filesHandler(req, res) || historyApi(req, res) || api(req, res) || fallback.handle(req, res) || httpHandler(req, res), log, metrics));
  guardPendingConnections(http, config);
  const transport = attachWsTransport(http, registry, config, log, metrics, auth, gate);

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  http.on('error', (err) => log.error({ err }, 'http server error'));
  const { port } = http.address() as AddressInfo;
  log.info(
    { host: config.host, port, ...(shared ? { storage: 'postgres', serverId, redis: bus !== null } : { dataDir: config.dataDir }) },
    'listening',
  );

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
      retention?.stop();
      await files?.close();
      // every board's last version is taken here, before its final compaction
      await registry.flushAll();
      registry.destroyAll();
      cluster?.stop();
      auth.stopLinkSweep();
      await bus?.close();
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
    storage,
    history,
    files,
    connectionCount: () => transport.connectionCount + fallback.connectionCount,
    close,
  };
}
