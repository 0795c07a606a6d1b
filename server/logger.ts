import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger };

/**
 * Query parameters and headers that carry credentials: connection tokens (`?token=`), share-link
 * keys (`?key=`), the service token and METRICS_TOKEN (`Authorization`). None may reach a log line.
 */
const SECRET_PARAM = /([?&](?:token|key)=)[^&#\s"']*/gi;
const BEARER = /(bearer\s+)[A-Za-z0-9._~+/=-]+/gi;
const REDACTED = '[redacted]';

/** A URL or path as it may be logged: its query string dropped (tokens and keys live there). */
export function urlForLog(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.search(/[?#]/);
  return q < 0 ? url : url.slice(0, q);
}

/** Free text (error messages, stacks) with any token, key or bearer credential in it masked. */
export function scrubSecrets(text: string): string {
  return text.replace(SECRET_PARAM, `$1${REDACTED}`).replace(BEARER, `$1${REDACTED}`);
}

function serializeErr(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const out = stdSerializers.err(err);
  // pino's err shape is an object of strings and nested causes; scrub its text fields only
  const scrubbed: Record<string, unknown> = { ...out };
  for (const field of ['message', 'stack'] as const) {
    if (typeof out[field] === 'string') scrubbed[field] = scrubSecrets(out[field]);
  }
  return scrubbed;
}

function serializeReq(req: unknown): unknown {
  if (typeof req !== 'object' || req === null) return req;
  const r = req as { method?: unknown; url?: unknown };
  return { method: r.method, url: typeof r.url === 'string' ? urlForLog(r.url) : undefined };
}

/** Options shared by every logger of the server: redaction of secret fields at any common depth. */
export const LOG_OPTIONS = {
  serializers: {
    err: serializeErr,
    error: serializeErr,
    req: serializeReq,
    url: (url: unknown) => (typeof url === 'string' ? urlForLog(url) : url),
    path: (path: unknown) => (typeof path === 'string' ? urlForLog(path) : path),
  },
  redact: {
    paths: [
      'token',
      'key',
      'authorization',
      'headers.authorization',
      'req.headers.authorization',
      '*.token',
      '*.key',
      '*.authorization',
      '*.headers.authorization',
      '*.url',
    ],
    // nested URLs keep their path (useful), everything else listed here is dropped
    censor: (value: unknown, path: string[]): unknown =>
      path[path.length - 1] === 'url' && typeof value === 'string' ? urlForLog(value) : REDACTED,
  },
};

/** JSON lines on stdout (or `destination`); one line per connection open/close, board load/unload and error. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'commonboard-sync' }, ...LOG_OPTIONS };
  return destination ? pino(options, destination) : pino(options);
}
