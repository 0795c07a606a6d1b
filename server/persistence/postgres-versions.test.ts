/** Postgres version store against the shared version and trash contracts (races between servers: postgres.test.ts). */
import pg from 'pg';
import { createTestDatabase, missingServices } from '../integration/cluster-harness';
import { PostgresStorage } from './postgres';
import { describeTrashContract } from './trash-contract';
import { describeVersionContract, type VersionFixture } from './version-contract';

const missing = await missingServices(['postgres']);

async function postgresFixture(): Promise<VersionFixture> {
  const db = await createTestDatabase();
  let raw: pg.Client | null = null;
  return {
    open: () => PostgresStorage.open(db.url),
    async sql(text, params) {
      if (!raw) {
        raw = new pg.Client({ connectionString: db.url });
        await raw.connect();
      }
      return (await raw.query(text, params)).rows as Record<string, unknown>[];
    },
    dispose: async () => {
      await raw?.end();
      await db.drop();
    },
  };
}

if (missing.length === 0) {
  describeVersionContract('postgres', postgresFixture);
  describeTrashContract('postgres', postgresFixture);
}
