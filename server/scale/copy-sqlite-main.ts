/** `DATABASE_URL=postgres://… npm run copy-to-postgres -- [DATA_DIR]`: see copy-sqlite.ts. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { copyFilesToPostgres } from '../files/copy';
import { DiskFileStore } from '../files/disk-store';
import { FILES_DIR } from '../files/open';
import { PostgresFileStore } from '../files/postgres-store';
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
  // images: after the boards (the source database is migrated by then: copySqliteToPostgres opened it)
  const files = await DiskFileStore.open(file, join(dataDir, FILES_DIR));
  const filesTarget = await PostgresFileStore.open(url);
  try {
    const n = await copyFilesToPostgres(files, filesTarget);
    console.log(`copied ${n.files} files and ${n.references} more board references to files`);
  } finally {
    await filesTarget.close();
    await files.close();
  }
} finally {
  await target.close();
}
