/**
 * DATA_DIR holds every board and every share-link key (commonboard.db) and the token signing secret
 * (auth-secret): only the server's own user may read it. The folder is 0700 and those files 0600,
 * also when an older install or another tool left them looser (tightened at start, with a warning).
 *
 * SQLite creates `-wal` and `-shm` with the main database file's mode, so the database file is
 * created 0600 before SQLite opens it.
 */
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SECRET_FILE } from '../../lib/auth/secret';
import type { Logger } from '../logger';

export const DB_FILE = 'commonboard.db';
const PRIVATE_FILES = [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, SECRET_FILE];

/** Sets `mode` if `path` exists with any group/other permission bit; true if it changed it. */
function tighten(path: string, mode: number, log: Logger): boolean {
  let current: number;
  try {
    current = statSync(path).mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if ((current & 0o077) === 0) return false;
  chmodSync(path, mode);
  log.warn({ path, was: current.toString(8), now: mode.toString(8) }, 'data file was readable by other users; tightened');
  return true;
}

/**
 * Makes DATA_DIR private. With `createDb` (SQLite storage) the folder and an empty database file
 * are created first, so neither ever exists with the umask's looser mode.
 */
export function secureDataDir(dir: string, log: Logger, { createDb }: { createDb: boolean }): void {
  if (createDb) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // 'a' creates without truncating an existing database; the mode applies only to a new file
    closeSync(openSync(join(dir, DB_FILE), 'a', 0o600));
  }
  tighten(dir, 0o700, log);
  for (const name of PRIVATE_FILES) tighten(join(dir, name), 0o600, log);
}
