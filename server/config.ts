import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import {
  DEFAULT_BOARD_FILES_MAX_BYTES,
  DEFAULT_FILE_UPLOADS_PER_MINUTE,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_IMAGE_PIXELS,
} from '../lib/files/file-contract';

/** Everything the server needs to run; env supplies the first six, the rest are tuning knobs. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  roomIdleMs: number;
  logLevel: LogLevel;
  maxMessageBytes: number;
  /** One server-wide tick drives pings and idle heartbeats. */
  heartbeatTickMs: number;
  /** Send the empty awareness frame to sockets that were sent nothing for this long (v3 watchdog is 30 s). */
  idleFrameAfterMs: number;
  /** Protocol ping period; a socket that has not ponged by the next ping is terminated. */
  pingIntervalMs: number;
  shutdownTimeoutMs: number;
  compactAfterUpdates: number;
  compactAfterBytes: number;
  /** An update that would grow the board's encoded size past this closes the sender with 4413. */
  maxBoardBytes: number;
  /** Largest awareness state (JSON bytes) a connection may publish; larger closes with 4413. */
  maxAwarenessStateBytes: number;
  /** Per-connection token buckets (burst = 2 s worth, and a byte burst never below one max frame). */
  rateLimitMessagesPerSec: number;
  rateLimitBytesPerSec: number;
  maxConnectionsPerBoard: number;
  /** Keyed on the TCP peer address; X-Forwarded-For is not trusted. */
  maxConnectionsPerIp: number;
  /** TCP connections per peer address whose request is not complete yet; more are destroyed (transport/pending-guard.ts). */
  maxPendingConnectionsPerIp: number;
  /** Request headers must arrive, and an upgrade be answered, within this (408 / destroyed). */
  handshakeTimeoutMs: number;
  /** Browser origins allowed to connect; null = any (a warning is logged at start). */
  allowedOrigins: string[] | null;
  /** On shutdown, 1012 closes are spread evenly over this window (clients reconnect without jitter). */
  drainMs: number;
  /** A socket with more unsent bytes than this is a client that stopped reading: closed with 4508. */
  maxBufferedBytes: number;
  /** Presence of a board is sent at most once per this window, all changed clients in one message. */
  presenceWindowMs: number;
  /**
   * Test flag (REFUSE_WEBSOCKET=1): answer every WebSocket upgrade with 403, as a proxy that blocks
   * WebSockets would, so clients must use the HTTP fallback (server/transport/http-fallback.ts).
   */
  refuseWebSocket?: boolean;
  /** Scale-out: boards in PostgreSQL instead of SQLite (several servers share it). */
  databaseUrl?: string | null;
  /** Scale-out: servers relay updates and presence to each other through Redis pub/sub. */
  redisUrl?: string | null;
  /** Scale-out: this server's name in cluster messages (its own are ignored) and logs. */
  serverId?: string;
  /** Scale-out: how often loaded boards are checked against storage for missed updates. */
  clusterPollMs?: number;
  /** SQLite synchronous=FULL (survives power loss) or NORMAL (default; survives a process crash only). */
  syncDurability?: SyncDurability;
  /** How often live link-bound connections are checked against storage's link versions (rotation). */
  linkSweepMs?: number;
  /** When set, GET /metrics needs `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string | null;
  /** Version history: an automatic version once a board's edits have paused this long. */
  historySettleMs: number;
  /** Version history: under continuous edits, an automatic version at most this long after the last one. */
  historyIntervalMs: number;
  /** Retention: every version younger than this is kept. */
  historyKeepAllHours: number;
  /** Retention: up to this age, the newest version of each hour is kept. */
  historyKeepHourlyDays: number;
  /** Retention: up to this age (0 = forever), the newest version of each day is kept. */
  historyKeepDailyDays: number;
  /** How often retention runs (versions pruned, trash purged). */
  historyPruneMs: number;
  /** A deleted board is purged (everything of it) this long after it went to the trash. */
  trashRetentionDays: number;
  /** Files (server/files): largest upload in bytes; more is a 413 as soon as it is exceeded. */
  maxFileBytes: number;
  /** Files: total bytes of the files one board references; more is a 507. */
  boardFilesMaxBytes: number;
  /** Files: largest image (width x height, read from its header before decoding); more is a 422. */
  maxImagePixels: number;
  /** Files: uploads per client address per minute; more is a 429 with Retry-After. */
  fileUploadsPerMinute: number;
}

export const SYNC_DURABILITIES = ['full', 'normal'] as const;
export type SyncDurability = (typeof SYNC_DURABILITIES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const MiB = 1024 * 1024;

/** Defaults of the limits read from the environment (documented in the README). */
export const DEFAULT_LIMITS = {
  maxBoardBytes: 32 * MiB,
  maxAwarenessStateBytes: 4 * 1024,
  // a fast pointer drag is ~60 awareness + ~60 update frames a second
  rateLimitMessagesPerSec: 300,
  rateLimitBytesPerSec: 4 * MiB,
  maxConnectionsPerBoard: 500,
  maxConnectionsPerIp: 200,
  maxPendingConnectionsPerIp: 64,
  handshakeTimeoutMs: 10_000,
  allowedOrigins: null as string[] | null,
  drainMs: 3_000,
} satisfies Partial<Config>;

/** Defaults of version history and trash (documented in the README). */
export const DEFAULT_HISTORY = {
  historySettleMs: 30_000,
  historyIntervalMs: 5 * 60_000,
  historyKeepAllHours: 24,
  historyKeepHourlyDays: 30,
  historyKeepDailyDays: 0,
  historyPruneMs: 60 * 60_000,
  trashRetentionDays: 30,
} satisfies Partial<Config>;

/** Defaults of the file limits (documented in the README; shared with the browser in lib/files). */
export const DEFAULT_FILES = {
  maxFileBytes: DEFAULT_MAX_FILE_BYTES,
  boardFilesMaxBytes: DEFAULT_BOARD_FILES_MAX_BYTES,
  maxImagePixels: DEFAULT_MAX_IMAGE_PIXELS,
  fileUploadsPerMinute: DEFAULT_FILE_UPLOADS_PER_MINUTE,
} satisfies Partial<Config>;

/** A positive integer given as a decimal string; rejects "", "1e3", "12abc" that Number() would accept. */
const intString = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** Comma list of origins such as `https://board.example.com`; each must be a bare http(s) origin. */
const originList = z
  .string()
  .transform((raw) => raw.split(',').map((o) => o.trim()).filter((o) => o.length > 0))
  .superRefine((origins, ctx) => {
    if (origins.length === 0) ctx.addIssue({ code: 'custom', message: 'must list at least one origin' });
    for (const o of origins) {
      let parsed: URL | null = null;
      try {
        parsed = new URL(o);
      } catch {
        // reported below
      }
      if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== o.toLowerCase().replace(/\/$/, '')) {
        ctx.addIssue({ code: 'custom', message: `"${o}" is not an origin like https://example.com` });
      }
    }
  })
  .transform((origins) => origins.map((o) => o.toLowerCase().replace(/\/$/, '')));

const envSchema = z.object({
  PORT: intString(0, 65535).default(1234),
  HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1, 'must not be empty').default('./data'),
  ROOM_IDLE_MS: intString(0, 24 * 60 * 60 * 1000).default(10_000),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  MAX_MESSAGE_BYTES: intString(1024, 512 * MiB).default(16 * MiB),
  MAX_BOARD_BYTES: intString(1024, 4096 * MiB).default(DEFAULT_LIMITS.maxBoardBytes),
  MAX_AWARENESS_STATE_BYTES: intString(64, 1 * MiB).default(DEFAULT_LIMITS.maxAwarenessStateBytes),
  RATE_LIMIT_MESSAGES_PER_SEC: intString(1, 1_000_000).default(DEFAULT_LIMITS.rateLimitMessagesPerSec),
  RATE_LIMIT_BYTES_PER_SEC: intString(1024, 4096 * MiB).default(DEFAULT_LIMITS.rateLimitBytesPerSec),
  MAX_CONNECTIONS_PER_BOARD: intString(1, 1_000_000).default(DEFAULT_LIMITS.maxConnectionsPerBoard),
  MAX_CONNECTIONS_PER_IP: intString(1, 1_000_000).default(DEFAULT_LIMITS.maxConnectionsPerIp),
  MAX_PENDING_CONNECTIONS_PER_IP: intString(1, 1_000_000).default(DEFAULT_LIMITS.maxPendingConnectionsPerIp),
  HANDSHAKE_TIMEOUT_MS: intString(1_000, 300_000).default(DEFAULT_LIMITS.handshakeTimeoutMs),
  ALLOWED_ORIGINS: originList.optional(),
  DRAIN_MS: intString(0, 60_000).default(DEFAULT_LIMITS.drainMs),
  REFUSE_WEBSOCKET: z.enum(['0', '1']).default('0'),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
    .optional(),
  SERVER_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 _ . -')
    .optional(),
  CLUSTER_POLL_MS: intString(100, 600_000).default(1_000),
  SYNC_DURABILITY: z.enum(SYNC_DURABILITIES).default('normal'),
  LINK_SWEEP_MS: intString(100, 600_000).default(5_000),
  METRICS_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  HISTORY_SETTLE_MS: intString(100, 24 * 60 * 60_000).default(DEFAULT_HISTORY.historySettleMs),
  HISTORY_INTERVAL_MS: intString(1_000, 7 * 24 * 60 * 60_000).default(DEFAULT_HISTORY.historyIntervalMs),
  HISTORY_KEEP_ALL_HOURS: intString(0, 10 * 365 * 24).default(DEFAULT_HISTORY.historyKeepAllHours),
  HISTORY_KEEP_HOURLY_DAYS: intString(0, 10 * 365).default(DEFAULT_HISTORY.historyKeepHourlyDays),
  HISTORY_KEEP_DAILY_DAYS: intString(0, 100 * 365).default(DEFAULT_HISTORY.historyKeepDailyDays),
  HISTORY_PRUNE_MS: intString(1_000, 7 * 24 * 60 * 60_000).default(DEFAULT_HISTORY.historyPruneMs),
  TRASH_RETENTION_DAYS: intString(1, 100 * 365).default(DEFAULT_HISTORY.trashRetentionDays),
  MAX_FILE_BYTES: intString(1024, 4096 * MiB).default(DEFAULT_FILES.maxFileBytes),
  // up to 1 PiB: still an exact integer in a double
  BOARD_FILES_MAX_BYTES: intString(1024, 1024 * 1024 * 1024 * MiB).default(DEFAULT_FILES.boardFilesMaxBytes),
  // libvips refuses more than 2^32 - 1 pixels per image anyway
  MAX_IMAGE_PIXELS: intString(1, 2 ** 32 - 1).default(DEFAULT_FILES.maxImagePixels),
  FILE_UPLOADS_PER_MINUTE: intString(1, 1_000_000).default(DEFAULT_FILES.fileUploadsPerMinute),
});

/** Default SERVER_ID: unique per process, readable in logs. */
function defaultServerId(): string {
  return `${hostname().replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 40) || 'server'}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export class ConfigError extends Error {}

const SECRET_VARS = new Set(['METRICS_TOKEN']);

/** Defaults for the knobs that are not read from the environment, plus the limits' defaults. */
export const DEFAULT_TUNING = {
  heartbeatTickMs: 5_000,
  idleFrameAfterMs: 15_000,
  pingIntervalMs: 30_000,
  shutdownTimeoutMs: 10_000,
  compactAfterUpdates: 500,
  compactAfterBytes: 1 * MiB,
  maxBufferedBytes: 4 * MiB,
  presenceWindowMs: 20,
  ...DEFAULT_LIMITS,
  ...DEFAULT_HISTORY,
  ...DEFAULT_FILES,
} satisfies Partial<Config>;

/** Parses the environment; throws ConfigError with a one-line message naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const picked = Object.fromEntries(
    Object.keys(envSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const result = envSchema.safeParse(picked);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path.join('.');
      // a secret's value must not reach the error line (stderr, process logs)
      const shown = SECRET_VARS.has(key) ? '(hidden)' : JSON.stringify(picked[key]);
      return `${key}=${shown}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = result.data;
  // several servers on one Redis must share boards (Postgres) and token signing (AUTH_SECRET)
  if (e.REDIS_URL && !e.DATABASE_URL) {
    throw new ConfigError('Invalid configuration: REDIS_URL is set: DATABASE_URL is required too (servers must share storage)');
  }
  if (e.REDIS_URL && !env.AUTH_SECRET) {
    throw new ConfigError('Invalid configuration: REDIS_URL is set: AUTH_SECRET is required (every server must verify the same tokens)');
  }
  // the retention tiers nest: all < hourly < daily (0 = daily forever)
  if (e.HISTORY_KEEP_HOURLY_DAYS * 24 < e.HISTORY_KEEP_ALL_HOURS) {
    throw new ConfigError(
      `Invalid configuration: HISTORY_KEEP_HOURLY_DAYS=${e.HISTORY_KEEP_HOURLY_DAYS} must cover HISTORY_KEEP_ALL_HOURS=${e.HISTORY_KEEP_ALL_HOURS}`,
    );
  }
  if (e.HISTORY_KEEP_DAILY_DAYS !== 0 && e.HISTORY_KEEP_DAILY_DAYS < e.HISTORY_KEEP_HOURLY_DAYS) {
    throw new ConfigError(
      `Invalid configuration: HISTORY_KEEP_DAILY_DAYS=${e.HISTORY_KEEP_DAILY_DAYS} must be 0 (forever) or at least HISTORY_KEEP_HOURLY_DAYS=${e.HISTORY_KEEP_HOURLY_DAYS}`,
    );
  }
  // a board that cannot hold one file of the maximum size would refuse uploads MAX_FILE_BYTES allows
  if (e.BOARD_FILES_MAX_BYTES < e.MAX_FILE_BYTES) {
    throw new ConfigError(
      `Invalid configuration: BOARD_FILES_MAX_BYTES=${e.BOARD_FILES_MAX_BYTES} must be at least MAX_FILE_BYTES=${e.MAX_FILE_BYTES}`,
    );
  }
  return {
    databaseUrl: e.DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
    serverId: e.SERVER_ID ?? defaultServerId(),
    clusterPollMs: e.CLUSTER_POLL_MS,
    syncDurability: e.SYNC_DURABILITY,
    linkSweepMs: e.LINK_SWEEP_MS,
    metricsToken: e.METRICS_TOKEN ?? null,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    roomIdleMs: e.ROOM_IDLE_MS,
    logLevel: e.LOG_LEVEL,
    ...DEFAULT_TUNING,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    maxBoardBytes: e.MAX_BOARD_BYTES,
    maxAwarenessStateBytes: e.MAX_AWARENESS_STATE_BYTES,
    rateLimitMessagesPerSec: e.RATE_LIMIT_MESSAGES_PER_SEC,
    rateLimitBytesPerSec: e.RATE_LIMIT_BYTES_PER_SEC,
    maxConnectionsPerBoard: e.MAX_CONNECTIONS_PER_BOARD,
    maxConnectionsPerIp: e.MAX_CONNECTIONS_PER_IP,
    maxPendingConnectionsPerIp: e.MAX_PENDING_CONNECTIONS_PER_IP,
    handshakeTimeoutMs: e.HANDSHAKE_TIMEOUT_MS,
    allowedOrigins: e.ALLOWED_ORIGINS ?? null,
    drainMs: e.DRAIN_MS,
    refuseWebSocket: e.REFUSE_WEBSOCKET === '1',
    historySettleMs: e.HISTORY_SETTLE_MS,
    historyIntervalMs: e.HISTORY_INTERVAL_MS,
    historyKeepAllHours: e.HISTORY_KEEP_ALL_HOURS,
    historyKeepHourlyDays: e.HISTORY_KEEP_HOURLY_DAYS,
    historyKeepDailyDays: e.HISTORY_KEEP_DAILY_DAYS,
    historyPruneMs: e.HISTORY_PRUNE_MS,
    trashRetentionDays: e.TRASH_RETENTION_DAYS,
    maxFileBytes: e.MAX_FILE_BYTES,
    boardFilesMaxBytes: e.BOARD_FILES_MAX_BYTES,
    maxImagePixels: e.MAX_IMAGE_PIXELS,
    fileUploadsPerMinute: e.FILE_UPLOADS_PER_MINUTE,
    // the drain window must fit inside the shutdown deadline, with time left to flush
    shutdownTimeoutMs: Math.max(DEFAULT_TUNING.shutdownTimeoutMs, e.DRAIN_MS + 7_000),
  };
}
