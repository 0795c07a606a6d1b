import { z } from 'zod';

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
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const MiB = 1024 * 1024;

/** A positive integer given as a decimal string; rejects "", "1e3", "12abc" that Number() would accept. */
const intString = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const envSchema = z.object({
  PORT: intString(0, 65535).default(1234),
  HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1, 'must not be empty').default('./data'),
  ROOM_IDLE_MS: intString(0, 24 * 60 * 60 * 1000).default(10_000),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  MAX_MESSAGE_BYTES: intString(1024, 512 * MiB).default(16 * MiB),
});

export class ConfigError extends Error {}

/** Defaults for the knobs that are not read from the environment. */
export const DEFAULT_TUNING = {
  heartbeatTickMs: 5_000,
  idleFrameAfterMs: 15_000,
  pingIntervalMs: 30_000,
  shutdownTimeoutMs: 10_000,
  compactAfterUpdates: 500,
  compactAfterBytes: 1 * MiB,
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
      return `${key}=${JSON.stringify(picked[key])}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = result.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    roomIdleMs: e.ROOM_IDLE_MS,
    logLevel: e.LOG_LEVEL,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    ...DEFAULT_TUNING,
  };
}
