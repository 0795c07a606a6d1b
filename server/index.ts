/** Entry point: `npm run server` or `node --import tsx server/index.ts`. */
import { AuthSecretError, loadAuthSecret } from '../lib/auth/secret';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger } from './logger';
import { startServer } from './start-server';

let config: Config;
let authSecret: Uint8Array;
try {
  config = loadConfig(process.env);
  authSecret = loadAuthSecret(process.env, config.dataDir);
} catch (err) {
  if (!(err instanceof ConfigError) && !(err instanceof AuthSecretError)) throw err;
  console.error(err.message);
  process.exit(1);
}

const log = createLogger(config.logLevel);
// Node ends the process on an unhandled rejection; every request and socket path catches its own,
// so one that slips through is a bug in one request's path, not a reason to drop every board.
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

try {
  const server = await startServer(config, { logger: log, authSecret });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'signal received');
    const deadline = setTimeout(() => {
      log.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    server.close().then(
      () => {
        clearTimeout(deadline);
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (err) {
  log.fatal({ err }, 'failed to start');
  process.exit(1);
}
