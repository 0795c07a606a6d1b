/**
 * Picks and opens the file store for the board storage in use: Postgres storage -> files in the
 * same Postgres (the cluster has no shared disk); SQLite -> bytes under DATA_DIR/files, metadata in
 * the same database file. Other storage (tests' in-memory stores) -> no files (null).
 * Also runs gc() periodically, so files of boards purged from the trash (by the retention job or
 * `npm run boards -- purge-trash`) are removed.
 */
import { mkdir, rm } from 'node:fs/promises';
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

export async function openFileStore(
  config: Pick<Config, 'dataDir' | 'databaseUrl' | 'syncDurability' | 'historyPruneMs'>,
  storage: Storage,
  log: Logger,
): Promise<OpenedFiles | null> {
  const root = join(config.dataDir, FILES_DIR);
  let store: FileStore;
  let tmpDir: string;
  if (storage instanceof PostgresStorage && config.databaseUrl) {
    store = await PostgresFileStore.open(config.databaseUrl);
    // uploads are still staged on local disk (hashed and checked before they reach the database)
    tmpDir = join(root, 'tmp');
    await rm(tmpDir, { recursive: true, force: true });
    await mkdir(tmpDir, { recursive: true, mode: 0o700 });
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
