/**
 * Picks and opens the file store for the board storage in use: Postgres storage -> files in the
 * same Postgres (the cluster has no shared disk); SQLite -> bytes under DATA_DIR/files, metadata in
 * the same database file. Other storage (tests' in-memory stores) -> no files (null).
 * Also runs gc() periodically, so files of boards purged from the trash (by the retention job or
 * `npm run boards -- purge-trash`) are removed.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { PostgresStorage } from '../persistence/postgres';
import { SqliteStorage } from '../persistence/sqlite';
import type { Storage } from '../persistence/storage';
import { DiskFileStore } from './disk-store';
import { PostgresFileStore } from './postgres-store';
import type { FileStore } from './store';

export interface OpenedFiles {
  store: FileStore;
  tmpDir: string;
  /** Stops the collection timer and closes the store. */
  close(): Promise<void>;
}

export const FILES_DIR = 'files';
/** A staging directory untouched this long belongs to a dead process (a request lasts at most 300 s). */
const STALE_TMP_MS = 60 * 60_000;

/**
 * Uploads are staged on local disk in a cluster too (hashed and checked before they reach the
 * database), in a directory of this process's own: servers may share one DATA_DIR, and a server
 * starting must not delete another's uploads in flight. Directories nobody touched for an hour are
 * leftovers of crashed processes and removed.
 */
async function clusterTmpDir(tmpRoot: string, serverId: string): Promise<string> {
  await mkdir(tmpRoot, { recursive: true, mode: 0o700 });
  const now = Date.now();
  // SERVER_ID may be "." or ".." (its pattern allows dots): never a path step
  const ownName = /^\.+$/.test(serverId) ? `pid-${process.pid}` : serverId;
  for (const name of await readdir(tmpRoot)) {
    const path = join(tmpRoot, name);
    const info = await stat(path).catch(() => null);
    if (info && (name === ownName || now - info.mtimeMs > STALE_TMP_MS)) await rm(path, { recursive: true, force: true });
  }
  const own = join(tmpRoot, ownName);
  await mkdir(own, { mode: 0o700 });
  return own;
}

export async function openFileStore(
  config: Pick<Config, 'dataDir' | 'databaseUrl' | 'syncDurability' | 'historyPruneMs' | 'serverId'>,
  storage: Storage,
  log: Logger,
): Promise<OpenedFiles | null> {
  const root = join(config.dataDir, FILES_DIR);
  let store: FileStore;
  let tmpDir: string;
  if (storage instanceof PostgresStorage && config.databaseUrl) {
    store = await PostgresFileStore.open(config.databaseUrl);
    tmpDir = await clusterTmpDir(join(root, 'tmp'), config.serverId ?? String(process.pid));
  } else if (storage instanceof SqliteStorage) {
    const disk = await DiskFileStore.open(storage.file, root, { synchronous: config.syncDurability });
    store = disk;
    tmpDir = disk.tmpDir;
  } else {
    log.warn('storage is neither SQLite nor Postgres: file uploads are off');
    return null;
  }
  const collect = (): void => {
    store.gc().then(
      (removed) => removed > 0 && log.info({ removed }, 'files no board references were removed'),
      (err: unknown) => log.warn({ err }, 'file collection failed; retried next round'),
    );
  };
  collect();
  const timer = setInterval(collect, config.historyPruneMs);
  timer.unref();
  return {
    store,
    tmpDir,
    async close() {
      clearInterval(timer);
      await store.close();
    },
  };
}
