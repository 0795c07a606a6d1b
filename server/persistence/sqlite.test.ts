/** SQLite storage against the shared storage contract. */
import { join } from 'node:path';
import { makeTempDir } from '../testing/helpers';
import { SqliteStorage } from './sqlite';
import { describeStorageContract } from './storage-contract';

describeStorageContract('sqlite', async () => {
  const tmp = makeTempDir();
  return {
    open: async () => new SqliteStorage(join(tmp.dir, 'commonboard.db')),
    dispose: async () => tmp.remove(),
  };
});
