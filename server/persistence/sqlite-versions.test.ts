/** SQLite version store: the shared version and trash contracts, plus the schema migration of an existing file. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/helpers';
import { EvolvingBoard, viewOf, viewOfState } from '../testing/versioned-board';
import { SqliteStorage } from './sqlite';
import { describeTrashContract } from './trash-contract';
import { describeVersionContract, type VersionFixture } from './version-contract';

async function sqliteFixture(): Promise<VersionFixture> {
  const tmp = makeTempDir();
  const file = join(tmp.dir, 'commonboard.db');
  let raw: Database.Database | null = null;
  return {
    open: async () => new SqliteStorage(file),
    async sql(text, params) {
      raw ??= new Database(file);
      raw.pragma('busy_timeout = 5000');
      const stmt = raw.prepare(text.replace(/\$\d+/g, '?'));
      if (stmt.reader) return stmt.all(...params) as Record<string, unknown>[];
      stmt.run(...params);
      return [];
    },
    dispose: async () => {
      raw?.close();
      tmp.remove();
    },
  };
}

describeVersionContract('sqlite', sqliteFixture);
describeTrashContract('sqlite', sqliteFixture);

describe('sqlite version schema', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });

  it('migrates a schema-2 file to the current schema and keeps its boards and links', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const file = join(tmp.dir, 'commonboard.db');
    const first = new SqliteStorage(file);
    await first.appendUpdates('old', [new EvolvingBoard(1).version().state]);
    await first.createBoardLinks('old', { edit: 'e'.repeat(22), view: 'v'.repeat(22) });
    await first.close();
    // back to what a schema-2 server left: no version tables
    const raw = new Database(file);
    raw.exec('DROP TABLE versions; DROP TABLE board_meta; DROP TABLE files; DROP TABLE board_files;');
    raw.pragma('user_version = 2');
    raw.close();

    const store = new SqliteStorage(file);
    cleanups.push(() => store.close());
    expect((await store.load('old')).lastSeq).toBe(1);
    expect(await store.getBoardLinks('old')).not.toBeNull();
    const b = new EvolvingBoard(2);
    b.step();
    const meta = await store.addVersion('old', b.version());
    expect(viewOfState((await store.loadVersionState('old', meta!.id))!)).toEqual(viewOf(b.board));
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(4);
    check.close();
  });
});
