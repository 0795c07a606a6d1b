/**
 * Automatic versions on a real server with real y-websocket clients (boards in SQLite, versions in
 * SQLite's own store and in the in-memory double; stores that are slow or fail on purpose are
 * doubles): when they are taken (settle, interval, last leave, shutdown; never without a change),
 * what they record (editors from the tokens, added / changed / removed against the previous
 * version, also after a restart and when that version is corrupt), and that a failing capture is
 * counted and changes nothing for the clients.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openBoard } from '../../lib/board/board';
import { deleteShapes, updateShape } from '../../lib/board/ops';
import type { ShapeId } from '../../lib/board/schema';
import type { NewVersion, AddVersionOptions, VersionMeta } from '../persistence/versions';
import type { RunningServer } from '../start-server';
import { connectClient, makeTempDir, testToken, waitFor, type TestClient } from '../testing/helpers';
import { DB_FILE } from '../persistence/data-dir';
import { SqliteStorage } from '../persistence/sqlite';
import type { VersionStore } from '../persistence/versions';
import {
  callApi,
  drawShapes,
  httpBase,
  shapesOf,
  shapesOfState,
  startHistoryServer,
  VERSION_BACKENDS,
  type HistoryServer,
  type VersionBackend,
} from '../testing/history';
import { MemoryVersionStore } from '../testing/memory-version-store';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tempDir(): string {
  const tmp = makeTempDir();
  cleanups.push(tmp.remove);
  return tmp.dir;
}

/** Versions in `versions`: a backend, or a given store (that outlives a restart, or misbehaves on purpose). */
async function server(dir: string, settleMs: number, intervalMs: number, versions: VersionStore | VersionBackend): Promise<HistoryServer> {
  const started = await startHistoryServer(dir, { historySettleMs: settleMs, historyIntervalMs: intervalMs }, versions);
  let closed = false;
  const close = started.server.close;
  started.server.close = () => ((closed = true), close());
  cleanups.push(() => (closed ? undefined : close()));
  return started;
}

/** The versions of a server that was closed (SQLite's: opened again, the server closed its own). */
function afterClose(dir: string, closed: HistoryServer, backend: VersionBackend): VersionStore {
  if (backend === 'sqlite') {
    const reopened = new SqliteStorage(join(dir, DB_FILE));
    cleanups.push(() => reopened.close());
    return reopened as SqliteStorage & VersionStore;
  }
  return closed.store;
}

/** What a restarted server on the same data directory should keep its versions in. */
const lasting = (backend: VersionBackend): VersionStore | VersionBackend => (backend === 'memory' ? new MemoryVersionStore() : 'sqlite');

async function client(s: RunningServer, boardId: string, name: string, role: 'editor' | 'viewer' = 'editor'): Promise<TestClient> {
  const c = connectClient(s.url, boardId, new Y.Doc(), { token: testToken(boardId, { name, role }) });
  cleanups.push(() => c.destroy());
  await waitFor(() => c.provider.synced, { what: `${name} synced` });
  return c;
}

/** Oldest first (the store lists newest first). */
async function versions(store: VersionStore, boardId: string): Promise<VersionMeta[]> {
  return (await store.listVersions(boardId)).reverse();
}

async function waitForVersions(store: VersionStore, boardId: string, n: number, timeout = 5_000): Promise<VersionMeta[]> {
  await waitFor(async () => (await store.listVersions(boardId)).length >= n, { timeout, what: `${n} version(s) of ${boardId}` });
  return versions(store, boardId);
}

describe.each(VERSION_BACKENDS)('when automatic versions are taken (versions in %s)', (backend) => {
  it('once edits settle, one version of exactly what the clients have; none while nothing changes', async () => {
    const { server: s, store } = await server(tempDir(), 300, 60_000, backend);
    const alice = await client(s, 'settle', 'Alice');
    // edits every 100 ms for a second: the 300 ms pause never comes until they stop
    let lastEditAt = 0;
    for (let i = 0; i < 10; i++) {
      drawShapes(alice.doc, 1, 'alice', i * 100);
      lastEditAt = Date.now();
      await sleep(100);
    }
    expect(await store.listVersions('settle')).toEqual([]);
    const [v] = await waitForVersions(store, 'settle', 1);
    expect(v.createdAt - lastEditAt).toBeGreaterThanOrEqual(300 - 20);
    expect(v).toMatchObject({ kind: 'auto', name: null, editors: ['Alice'], added: 10, changed: 0, removed: 0, shapeCount: 10 });
    expect(shapesOfState((await store.loadVersionState('settle', v.id))!)).toEqual(shapesOf(alice.doc));

    // a client that only looks, and time passing, take no version
    await client(s, 'settle', 'Bob');
    await sleep(1_000);
    expect(await store.listVersions('settle')).toHaveLength(1);
  });

  it('under continuous edits, one at most every interval (also when storing takes a while); then one when they settle', async () => {
    // the double stores slowly here; SQLite takes what it takes
    const { server: s, store } = await server(tempDir(), 600, 1_200, backend === 'memory' ? new SlowStore(300) : backend);
    const alice = await client(s, 'busy', 'Alice');
    const editing = Date.now();
    while (Date.now() - editing < 3_800) {
      drawShapes(alice.doc, 1);
      await sleep(80);
    }
    const stoppedAt = Date.now();
    // the pause, the 300 ms the store takes, and some slack
    await sleep(600 + 300 + 700);
    const all = await versions(store, 'busy');
    const last = all.at(-1)!;
    const during = all.slice(0, -1);
    expect(during.length).toBeGreaterThanOrEqual(2);
    expect(during.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < during.length; i++) expect(during[i].createdAt - during[i - 1].createdAt).toBeGreaterThanOrEqual(1_200 - 20);
    expect(last.createdAt - stoppedAt).toBeGreaterThanOrEqual(600 - 100);
    expect(shapesOfState((await store.loadVersionState('busy', last.id))!)).toEqual(shapesOf(alice.doc));
    // every shape was added exactly once over the versions
    expect(all.reduce((n, v) => n + v.added, 0)).toBe(Object.keys(shapesOf(alice.doc)).length);
  });

  it('when the last peer leaves, without waiting for the pause', async () => {
    const { server: s, store } = await server(tempDir(), 60_000, 60_000, backend);
    const carol = await client(s, 'leave', 'Carol');
    const other = await client(s, 'leave', 'Dan');
    drawShapes(carol.doc, 2);
    await waitFor(() => Object.keys(shapesOf(other.doc)).length === 2, { what: 'edit relayed' });
    carol.destroy();
    await sleep(300);
    expect(await store.listVersions('leave')).toEqual([]); // Dan is still there
    other.destroy();
    const [v] = await waitForVersions(store, 'leave', 1, 2_000);
    expect(v).toMatchObject({ kind: 'auto', editors: ['Carol'], added: 2, shapeCount: 2 });
  });

  it('on graceful shutdown, for every board that changed since its last version', async () => {
    const dir = tempDir();
    const started = await server(dir, 60_000, 60_000, backend);
    const s = started.server;
    const a = await client(s, 'shut-a', 'Ann');
    const b = await client(s, 'shut-b', 'Ben');
    await client(s, 'shut-c', 'Cat'); // opened, never edited: no version
    // held by someone other than its peers, so its last leave is not what takes the version
    await s.registry.acquire('shut-a');
    drawShapes(a.doc, 1);
    drawShapes(b.doc, 3);
    await sleep(200);
    await s.close();
    const store = afterClose(dir, started, backend);
    expect((await store.listVersions('shut-a')).map((v) => v.added)).toEqual([1]);
    expect((await store.listVersions('shut-b')).map((v) => v.added)).toEqual([3]);
    expect(await store.listVersions('shut-c')).toEqual([]);
  });
});

describe.each(VERSION_BACKENDS)('what a version records (versions in %s)', (backend) => {
  it('the names of whoever edited since the previous version (not viewers, not lurkers), at most 50', async () => {
    const { server: s, store } = await server(tempDir(), 300, 60_000, backend);
    const alice = await client(s, 'names', 'Alice');
    const bob = await client(s, 'names', 'Bob');
    const viewer = await client(s, 'names', 'Vera', 'viewer');
    await client(s, 'names', 'Lurker');
    drawShapes(alice.doc, 1);
    drawShapes(bob.doc, 1);
    drawShapes(viewer.doc, 1); // dropped by the server
    const [v1] = await waitForVersions(store, 'names', 1);
    expect([...v1.editors].sort()).toEqual(['Alice', 'Bob']);
    expect(v1.shapeCount).toBe(2);

    drawShapes(bob.doc, 1);
    const [, v2] = await waitForVersions(store, 'names', 2);
    expect(v2.editors).toEqual(['Bob']);

    const crowd = await Promise.all(Array.from({ length: 52 }, (_, i) => client(s, 'names', `user-${i}`)));
    for (const c of crowd) drawShapes(c.doc, 1);
    const v3 = (await waitForVersions(store, 'names', 3)).at(-1)!;
    expect(v3.editors).toHaveLength(50);
    expect(v3.added).toBe(52);
  });

  it('added / changed / removed against the previous version, also after a restart (rebuilt from storage)', async () => {
    const dir = tempDir();
    const versionsIn = lasting(backend);
    const first = await server(dir, 300, 60_000, versionsIn);
    const alice = await client(first.server, 'counts', 'Alice');
    const ids = drawShapes(alice.doc, 4) as ShapeId[];
    await waitForVersions(first.store, 'counts', 1);
    alice.destroy();
    await first.server.close();

    const second = await server(dir, 300, 60_000, versionsIn);
    const bob = await client(second.server, 'counts', 'Bob');
    const board = openBoard(bob.doc);
    updateShape(board, ids[0], { x: 500 });
    deleteShapes(board, [ids[1]]);
    drawShapes(bob.doc, 2);
    const [v1, v2] = await waitForVersions(second.store, 'counts', 2);
    expect(v1).toMatchObject({ added: 4, changed: 0, removed: 0, shapeCount: 4 });
    expect(v2).toMatchObject({ added: 2, changed: 1, removed: 1, shapeCount: 5, editors: ['Bob'] });
  });

  it('counts every shape as added when the previous version is corrupt, and lists it as corrupt', async () => {
    const dir = tempDir();
    const versionsIn = lasting(backend);
    const first = await server(dir, 300, 60_000, versionsIn);
    const alice = await client(first.server, 'broken', 'Alice');
    const ids = drawShapes(alice.doc, 3) as ShapeId[];
    const [v1] = await waitForVersions(first.store, 'broken', 1);
    alice.destroy();
    await first.server.close();
    first.corrupt('broken', v1.id);

    const second = await server(dir, 300, 60_000, versionsIn);
    const store = second.store;
    const bob = await client(second.server, 'broken', 'Bob');
    updateShape(openBoard(bob.doc), ids[0], { x: 99 });
    const [, v2] = await waitForVersions(store, 'broken', 2);
    expect(v2).toMatchObject({ added: 3, changed: 0, removed: 0, shapeCount: 3 });
    const listed = await callApi(httpBase(second.server), 'GET', '/boards/broken/versions');
    expect(listed.body).toEqual({ versions: await store.listVersions('broken'), corrupt: [v1.id] });
  });
});

/** A store whose addVersion takes `delayMs` (edits keep landing while a capture is being stored). */
class SlowStore extends MemoryVersionStore {
  constructor(private readonly delayMs: number) {
    super();
  }
  override async addVersion(boardId: string, version: NewVersion, options?: AddVersionOptions): Promise<VersionMeta | null> {
    await sleep(this.delayMs);
    return super.addVersion(boardId, version, options);
  }
}

/** A store whose addVersion fails while `failing` is set. */
class FlakyStore extends MemoryVersionStore {
  failing = true;
  override async addVersion(boardId: string, version: NewVersion, options?: AddVersionOptions): Promise<VersionMeta | null> {
    if (this.failing) throw new Error('disk full (test)');
    return super.addVersion(boardId, version, options);
  }
}

describe('a failing capture', () => {
  it('is counted in errors_total{kind="version"}, never reaches the clients, and the next version lists its editors', async () => {
    const store = new FlakyStore();
    const { server: s } = await server(tempDir(), 200, 60_000, store);
    const alice = await client(s, 'flaky', 'Alice');
    const bob = await client(s, 'flaky', 'Bob');
    drawShapes(alice.doc, 2);
    const versionErrors = async () => {
      const text = await (await fetch(`${httpBase(s)}/metrics`)).text();
      return Number(/commonboard_errors_total\{kind="version"\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    await waitFor(async () => (await versionErrors()) >= 1, { what: 'capture failure counted' });
    expect(await store.listVersions('flaky')).toEqual([]);
    // the board keeps working
    drawShapes(bob.doc, 1);
    await waitFor(() => Object.keys(shapesOf(alice.doc)).length === 3, { what: 'edits still relayed' });
    store.failing = false;
    const [v] = await waitForVersions(store, 'flaky', 1);
    expect([...v.editors].sort()).toEqual(['Alice', 'Bob']);
    expect(v.added).toBe(3);
  });
});
