/**
 * `npm run boards -- <command>`: the board trash, for operators.
 *
 *   list-trash                          boards in the trash, most recently deleted first
 *   restore <boardId>                   takes a board out of the trash
 *   purge-trash [--older-than-days N]   deletes for good the boards trashed more than N days ago
 *                                       (default 0: everything in the trash)
 *
 * Opens DATABASE_URL (Postgres) if set, else DATA_DIR/commonboard.db (DATA_DIR default ./data).
 * With SQLite it may run while the server runs: WAL lets both open the file, and each waits up to
 * 5 s (busy_timeout) for the other's write. A running server may remember a board's trash state;
 * what it does with a restore made here is up to the history service.
 *
 * Exit codes: 0 done, 1 failed (no database, board not in the trash), 2 bad usage.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isBoardId } from '../lib/board-id';
import { DB_FILE } from '../server/persistence/data-dir';
import { PostgresStorage } from '../server/persistence/postgres';
import { SqliteStorage } from '../server/persistence/sqlite';
import type { Storage } from '../server/persistence/storage';
import type { VersionStore } from '../server/persistence/versions';

const USAGE = 'usage: npm run boards -- <list-trash | restore <boardId> | purge-trash [--older-than-days N]>';
const DAY = 24 * 3_600_000;

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

type Command = { kind: 'list-trash' } | { kind: 'restore'; boardId: string } | { kind: 'purge-trash'; olderThanDays: number };

function parse(args: string[]): Command {
  const [kind, ...rest] = args;
  if (kind === 'list-trash') {
    if (rest.length > 0) usage(`list-trash takes no arguments (got "${rest.join(' ')}")`);
    return { kind };
  }
  if (kind === 'restore') {
    if (rest.length !== 1) usage('restore takes one board id');
    if (!isBoardId(rest[0])) usage(`invalid board id "${rest[0]}" (1-64 characters of A-Z a-z 0-9 _ -)`);
    return { kind, boardId: rest[0] };
  }
  if (kind === 'purge-trash') {
    if (rest.length === 0) return { kind, olderThanDays: 0 };
    const days = Number(rest[1]);
    if (rest.length !== 2 || rest[0] !== '--older-than-days' || rest[1].trim() === '' || !Number.isFinite(days) || days < 0) {
      usage('purge-trash takes only --older-than-days N (N: a number of days, 0 or more)');
    }
    return { kind, olderThanDays: days };
  }
  usage(kind ? `unknown command "${kind}"` : 'no command given');
}

async function openStorage(): Promise<Storage & VersionStore> {
  const url = process.env.DATABASE_URL?.trim();
  if (url) return PostgresStorage.open(url);
  const file = join(process.env.DATA_DIR?.trim() || './data', DB_FILE);
  // opening would create an empty database: an operator pointing at the wrong folder should hear so
  if (!existsSync(file)) fail(`no database at ${file} (set DATA_DIR, or DATABASE_URL for Postgres)`);
  return new SqliteStorage(file);
}

function ago(ms: number): string {
  const days = ms / DAY;
  return days >= 1 ? `${Math.floor(days)} days ago` : `${Math.max(0, Math.floor(ms / 3_600_000))} hours ago`;
}

async function run(storage: Storage & VersionStore, command: Command): Promise<number> {
  const now = Date.now();
  switch (command.kind) {
    case 'list-trash': {
      const trash = await storage.listTrash();
      if (trash.length === 0) {
        console.log('the trash is empty');
        return 0;
      }
      console.log(`${trash.length} board(s) in the trash:`);
      for (const t of trash) console.log(`${t.boardId}  deleted ${new Date(t.deletedAt).toISOString()} (${ago(now - t.deletedAt)})`);
      return 0;
    }
    case 'restore': {
      if (!(await storage.untrashBoard(command.boardId))) {
        console.error(`board ${command.boardId} is not in the trash`);
        return 1;
      }
      console.log(`restored board ${command.boardId}`);
      return 0;
    }
    case 'purge-trash': {
      const before = now - command.olderThanDays * DAY;
      const purged = await storage.purgeTrash(before);
      const cutoff = `trashed before ${new Date(before).toISOString()}`;
      if (purged.length === 0) console.log(`nothing to purge (no board ${cutoff})`);
      else console.log(`purged ${purged.length} board(s) ${cutoff}:\n${purged.join('\n')}`);
      return 0;
    }
  }
}

const command = parse(process.argv.slice(2));
const storage = await openStorage().catch((err: unknown) => fail(`cannot open storage: ${err instanceof Error ? err.message : String(err)}`));
let code: number;
try {
  code = await run(storage, command);
} finally {
  await storage.close();
}
process.exit(code);
