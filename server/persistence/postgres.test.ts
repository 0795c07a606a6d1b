/**
 * Postgres storage: the shared storage contract, plus what only a shared database needs: two
 * servers appending to one board get disjoint, hole-free seqs; catch-up reads; one compactor;
 * servers racing to take the same automatic version store it once, and concurrent version writers
 * of one board never break its chain.
 */
import { afterEach, expect, it } from 'vitest';
import pg from 'pg';
import * as Y from 'yjs';
import { createTestDatabase, describeWithServices, missingServices } from '../integration/cluster-harness';
import { EvolvingBoard, viewOf, viewOfState } from '../testing/versioned-board';
import { PostgresStorage } from './postgres';
import { describeStorageContract } from './storage-contract';

const missing = await missingServices(['postgres']);

function update(key: string, value: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('m').set(key, value);
  return Y.encodeStateAsUpdate(doc);
}

if (missing.length === 0) {
  describeStorageContract('postgres', async () => {
    const db = await createTestDatabase();
    return { open: () => PostgresStorage.open(db.url), dispose: () => db.drop() };
  });
}

describeWithServices('postgres storage shared by several servers', missing, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });
  async function two(): Promise<[PostgresStorage, PostgresStorage, string]> {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const a = await PostgresStorage.open(db.url);
    cleanups.push(() => a.close());
    const b = await PostgresStorage.open(db.url);
    cleanups.push(() => b.close());
    return [a, b, db.url];
  }

  it('gives concurrent writers on one board disjoint seqs with no holes', async () => {
    const [a, b] = await two();
    const writes = Array.from({ length: 40 }, (_, i) =>
      (i % 2 ? a : b).appendBatch([
        { boardId: 'shared', updates: [update(`k${i}`, i), update(`j${i}`, i)] },
        { boardId: `other-${i % 3}`, updates: [update('o', i)] },
      ]),
    );
    const lasts = (await Promise.all(writes)).map((s) => s[0]).sort((x, y) => x - y);
    expect(lasts).toEqual(Array.from({ length: 40 }, (_, i) => 2 * (i + 1)));
    const since = await a.readSince('shared', 0);
    expect(since.snapshot).toBeNull();
    expect(since.updates.map((u) => u.seq)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    expect(await b.lastSeqs(['shared', 'other-0', 'missing'])).toEqual(
      new Map([
        ['shared', 80],
        ['other-0', 14],
        ['missing', 0],
      ]),
    );
  });

  it('reads since a seq, standing in the snapshot for compacted seqs', async () => {
    const [a, b] = await two();
    const all: Uint8Array[] = [];
    for (let i = 0; i < 6; i++) {
      all.push(update(`k${i}`, i));
      await a.appendUpdates('c', [all[i]]);
    }
    expect((await b.readSince('c', 2)).updates.map((u) => u.seq)).toEqual([3, 4, 5, 6]);
    await a.compact('c', Y.mergeUpdates(all.slice(0, 4)), 4);
    const since = await b.readSince('c', 2);
    expect(since.snapshot?.seqUpto).toBe(4);
    expect(since.updates.map((u) => u.seq)).toEqual([5, 6]);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, since.snapshot!.state);
    for (const u of since.updates) Y.applyUpdate(doc, u.data);
    expect(Object.keys(doc.getMap('m').toJSON()).sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
    expect((await b.readSince('c', 4)).snapshot).toBeNull();
    expect((await b.readSince('c', 6)).updates).toEqual([]);
  });

  it('lets only one server compact a board at a time', async () => {
    const [a, , url] = await two();
    for (let i = 0; i < 3; i++) await a.appendUpdates('one', [update(`k${i}`, i)]);
    // another "server" holds the board's compaction lock, as if mid-compaction
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    cleanups.push(() => other.end());
    await other.query('BEGIN');
    await other.query("SELECT pg_advisory_xact_lock(hashtextextended('compact:' || $1, 0))", ['one']);
    const state = Y.mergeUpdates((await a.load('one')).updates);
    await a.compact('one', state, 3);
    expect((await a.load('one')).snapshot).toBeNull(); // skipped: the lock was taken
    await other.query('COMMIT');
    await a.compact('one', state, 3);
    expect((await a.load('one')).snapshotSeq).toBe(3);
    // an older snapshot never replaces a newer one
    await a.compact('one', state, 2);
    expect((await a.load('one')).snapshotSeq).toBe(3);
  });

  it('stores an automatic version once when two servers race 20 captures of the same seq', async () => {
    const [a, b] = await two();
    const board = new EvolvingBoard(11).seed(200);
    board.step();
    await a.addVersion('race', board.version({ createdAt: Date.now() - 3_600_000 })); // an older one to diff against
    board.step();
    const version = board.version();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).addVersion('race', { ...version, createdAt: Date.now() }, { dedupeWithinMs: 60_000 })),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const list = await b.listVersions('race');
    expect(list).toHaveLength(2);
    expect(viewOfState((await a.loadVersionState('race', list[0].id))!)).toEqual(viewOf(board.board));
  });

  it('gives concurrent named versions of one board distinct ids and an intact chain', async () => {
    const [a, b] = await two();
    const board = new EvolvingBoard(12).seed(200);
    const views = new Map<string, ReturnType<typeof viewOf>>();
    const pending = [];
    for (let i = 0; i < 12; i++) {
      board.step();
      const name = `v${i}`;
      views.set(name, viewOf(board.board));
      pending.push((i % 2 ? a : b).addVersion('named', board.version({ kind: 'named', name })));
    }
    const metas = (await Promise.all(pending)).map((m) => m!);
    expect(new Set(metas.map((m) => m.id)).size).toBe(12);
    for (const m of metas) expect(viewOfState((await b.loadVersionState('named', m.id))!)).toEqual(views.get(m.name!));
  });

  it('runs migrations once when servers start together', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const opened = await Promise.all([1, 2, 3].map(() => PostgresStorage.open(db.url)));
    for (const s of opened) cleanups.push(() => s.close());
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query<{ version: number }>('SELECT version FROM commonboard_schema ORDER BY version');
    await c.end();
    expect(rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
  });
});
