/**
 * Postgres storage: the shared storage contract, plus what only a shared database needs: two
 * servers appending to one board get disjoint, hole-free seqs; catch-up reads; one compactor.
 */
import { afterEach, expect, it } from 'vitest';
import pg from 'pg';
import * as Y from 'yjs';
import { createTestDatabase, describeWithServices, missingServices } from '../integration/cluster-harness';
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

  it('runs migrations once when servers start together', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const opened = await Promise.all([1, 2, 3].map(() => PostgresStorage.open(db.url)));
    for (const s of opened) cleanups.push(() => s.close());
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query<{ version: number }>('SELECT version FROM commonboard_schema');
    await c.end();
    expect(rows).toEqual([{ version: 1 }]);
  });
});
