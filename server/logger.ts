import { pino, type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger };

/** JSON lines on stdout; one line per connection open/close, board load/unload and error. */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'commonboard-sync' } });
}
