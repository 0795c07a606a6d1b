/** `DATABASE_URL=postgres://… npm run copy-to-postgres -- [DATA_DIR]`: see copy-sqlite.ts. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresStorage } from '../persistence/postgres';
import { copySqliteToPostgres } from './copy-sqlite';

const dataDir = process.argv[2] ?? process.env.DATA_DIR ?? './data';
const file = join(dataDir, 'commonboard.db');
const url = process.env.DATABASE_URL;
if (!url || !/^postgres(ql)?:\/\//.test(url)) {
  console.error('DATABASE_URL=postgres://… is required');
  process.exit(1);
}
if (!existsSync(file)) {
  console.error(`no SQLite database at ${file}`);
  process.exit(1);
}
const target = await PostgresStorage.open(url);
try {
  const { copied, skipped } = await copySqliteToPostgres(file, target);
  console.log(`copied ${copied.length} boards from ${file}; ${skipped.length} already in Postgres (left alone)`);
} finally {
  await target.close();
}
