/**
 * `npm run boards` (scripts/boards.ts) as a real process: against a DATA_DIR whose SQLite file a
 * running server holds open, and against Postgres through DATABASE_URL.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, describeWithServices, missingServices } from '../integration/cluster-harness';
import { createLogger } from '../logger';
import { startServer } from '../start-server';
import { makeTempDir, testConfig } from '../testing/helpers';
import { EvolvingBoard } from '../testing/versioned-board';
import { PostgresStorage } from './postgres';
import type { Storage } from './storage';
import { hasVersionStore, type VersionStore } from './versions';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const DAY = 24 * 3_600_000;
const missing = await missingServices(['postgres']);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function boards(args: string[], env: Record<string, string>, viaNpm = false): Promise<Run> {
  const [file, argv] = viaNpm ? ['npm', ['run', '--silent', 'boards', '--', ...args]] : [process.execPath, ['--import', 'tsx', 'scripts/boards.ts', ...args]];
  const { DATABASE_URL: _ignored, ...inherited } = process.env; // only what the test sets
  void _ignored;
  return new Promise((res) => {
    execFile(file, argv, { cwd: REPO_ROOT, env: { ...inherited, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      res({ code, stdout, stderr });
    });
  });
}

async function seedBoard(store: Storage & VersionStore, boardId: string): Promise<void> {
  const b = new EvolvingBoard(boardId.length);
  b.step();
  await store.appendUpdates(boardId, [b.version().state]);
  await store.addVersion(boardId, b.version());
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('npm run boards (SQLite, beside a running server)', () => {
  it('lists, restores and purges the trash; refuses bad usage with exit code 2', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const server = await startServer(testConfig(tmp.dir, { drainMs: 0 }), { logger: createLogger('silent') });
    cleanups.push(() => server.close());
    const store = server.storage;
    if (!hasVersionStore(store)) throw new Error('SqliteStorage must be a VersionStore');
    const env = { DATA_DIR: tmp.dir };

    expect(await boards(['list-trash'], env)).toMatchObject({ code: 0, stdout: 'the trash is empty\n' });
    for (const id of ['old-board', 'new-board', 'kept-board']) await seedBoard(store, id);
    await store.trashBoard('old-board', Date.now() - 10 * DAY);
    await store.trashBoard('new-board', Date.now() - 3_600_000);

    const list = await boards(['list-trash'], env, true);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')).toEqual([
      '2 board(s) in the trash:',
      expect.stringMatching(/^new-board {2}deleted \d{4}-\d\d-\d\dT.*Z \(1 hours ago\)$/),
      expect.stringMatching(/^old-board {2}deleted .* \(10 days ago\)$/),
      '',
    ]);

    expect(await boards(['restore', 'new-board'], env)).toMatchObject({ code: 0, stdout: 'restored board new-board\n' });
    expect(await store.trashedAt('new-board')).toBeNull();
    expect(await boards(['restore', 'new-board'], env)).toMatchObject({ code: 1, stderr: 'board new-board is not in the trash\n' });

    const purge = await boards(['purge-trash', '--older-than-days', '7'], env);
    expect(purge.code).toBe(0);
    expect(purge.stdout).toMatch(/^purged 1 board\(s\) trashed before .*Z:\nold-board\n$/);
    expect(await store.listVersions('old-board')).toEqual([]);
    // the server's cached last seq may outlive a purge by another process (seqs then just go on from it)
    expect(await store.load('old-board')).toMatchObject({ snapshot: null, updates: [] });
    expect(await store.listVersions('kept-board')).toHaveLength(1);
    expect((await boards(['purge-trash'], env)).stdout).toMatch(/^nothing to purge \(no board trashed before .*Z\)\n$/);

    for (const bad of [[], ['nope'], ['restore'], ['restore', 'bad id!'], ['list-trash', 'x'], ['purge-trash', '--older-than-days'], ['purge-trash', '--older-than-days', '-1'], ['purge-trash', '7']]) {
      const r = await boards(bad, env);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr).toContain('usage: npm run boards --');
    }
  }, 120_000); // 14 real processes, each starting tsx: 30 s was too tight on 2 busy cores

  it('fails with exit code 1 when DATA_DIR holds no database, creating none', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const r = await boards(['list-trash'], { DATA_DIR: resolve(tmp.dir, 'missing') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^no database at .*missing\/commonboard\.db/);
  });
});

describeWithServices('npm run boards (Postgres through DATABASE_URL)', missing, () => {
  it('purges a trashed board of the shared database', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const store = await PostgresStorage.open(db.url);
    cleanups.push(() => store.close());
    await seedBoard(store, 'pg-board');
    await store.trashBoard('pg-board', Date.now() - DAY);
    const env = { DATABASE_URL: db.url };
    expect((await boards(['list-trash'], env)).stdout).toMatch(/^1 board\(s\) in the trash:\npg-board {2}deleted/);
    expect(await boards(['purge-trash'], env)).toMatchObject({ code: 0, stdout: expect.stringMatching(/\npg-board\n$/) });
    expect(await store.listVersions('pg-board')).toEqual([]);
    expect(await store.listTrash()).toEqual([]);
  });
});
