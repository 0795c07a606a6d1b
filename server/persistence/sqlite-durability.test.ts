/** SYNC_DURABILITY reaches SQLite: `full` = synchronous=FULL (fsync per commit), `normal` = NORMAL. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { startServer } from '../start-server';
import { makeTempDir, testConfig } from '../testing/helpers';
import { SqliteStorage } from './sqlite';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('SQLite durability setting', () => {
  it('maps full to synchronous=FULL and normal to NORMAL', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const full = new SqliteStorage(join(tmp.dir, 'a.db'), { synchronous: 'full' });
    const normal = new SqliteStorage(join(tmp.dir, 'b.db'), { synchronous: 'normal' });
    cleanups.push(() => full.close(), () => normal.close());
    expect(full.synchronousLevel).toBe(2);
    expect(normal.synchronousLevel).toBe(1);
  });

  it('the server opens its database with the configured level', async () => {
    for (const [syncDurability, level] of [['full', 2], ['normal', 1]] as const) {
      const tmp = makeTempDir();
      cleanups.push(tmp.remove);
      const server = await startServer(testConfig(tmp.dir, { syncDurability, drainMs: 0 }), { logger: createLogger('silent') });
      cleanups.push(() => server.close());
      expect(server.storage).toBeInstanceOf(SqliteStorage);
      expect((server.storage as SqliteStorage).synchronousLevel, syncDurability).toBe(level);
    }
  });
});
