/**
 * Automatic versions in a cluster: two servers on one PostgreSQL database and one Redis with the
 * same board open (real y-websocket clients on each), edits settling on both — exactly one
 * automatic version per settle, holding everything both servers' clients drew, however the two
 * servers' timers fall. The versions are in ONE VersionStore shared by both servers (the in-memory
 * double, both servers in this process), so this checks the dedupe rule the store implements.
 * Also: a board deleted on one server is closed (4410) on the other by the Redis message, long
 * before the link sweep would. And the same rule with real server processes and the real Postgres
 * version store, plus a restore through one server reaching a client of the other.
 */
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { VersionList } from '../../lib/history/versions';
import { CloseCode } from '../../lib/protocol/close-codes';
import type { Config } from '../config';
import { createLogger } from '../logger';
import { PostgresStorage } from '../persistence/postgres';
import { startServer, type RunningServer } from '../start-server';
import { connectClient, makeTempDir, testConfig, testToken, waitFor, type TestClient } from '../testing/helpers';
import { callApi, drawShapes, httpBase, SECRET, shapesOf, shapesOfState } from '../testing/history';
import { MemoryVersionStore, withVersionStore } from '../testing/memory-version-store';
import { createTestDatabase, describeWithServices, missingServices, startCluster, startOwnRedis } from './cluster-harness';

/** This file's redis-server ports (see startOwnRedis; the files that kill theirs use 6390-6396). */
const OWN_REDIS_PORTS = { first: 6397, last: 6399 };
const SETTLE_MS = 500;

const missing = await missingServices(['postgres', 'redis-server']);
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const docOf = (state: Uint8Array): Y.Doc => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
};
const json = (doc: Y.Doc) => JSON.stringify(Object.entries(shapesOf(doc)).sort(([a], [b]) => a.localeCompare(b)));

describeWithServices('history in a cluster', missing, () => {
  /** A fresh database, a private Redis and two servers (this process) sharing one VersionStore double. */
  async function twoServers(overrides: Partial<Config> = {}): Promise<{ servers: RunningServer[]; versions: MemoryVersionStore }> {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const redis = await startOwnRedis(OWN_REDIS_PORTS);
    cleanups.push(() => redis.stop());
    const versions = new MemoryVersionStore();
    const servers: RunningServer[] = [];
    for (const id of ['h1', 'h2']) {
      const tmp = makeTempDir();
      cleanups.push(tmp.remove);
      const storage = withVersionStore(await PostgresStorage.open(db.url), versions);
      const config = testConfig(tmp.dir, {
        drainMs: 0,
        serverId: id,
        redisUrl: redis.url,
        clusterPollMs: 300,
        historySettleMs: SETTLE_MS,
        historyIntervalMs: 60_000,
        ...overrides,
      });
      const server = await startServer(config, { logger: createLogger('silent'), storage, authSecret: SECRET });
      cleanups.push(() => server.close());
      servers.push(server);
    }
    return { servers, versions };
  }

  it('two servers, one board, edits settling: exactly one automatic version per settle', { timeout: 90_000 }, async () => {
    const { servers, versions } = await twoServers();
    const join = (server: RunningServer, name: string): TestClient => {
      const c = connectClient(server.url, 'shared', new Y.Doc(), { token: testToken('shared', { name }) });
      cleanups.push(() => c.destroy());
      return c;
    };
    const ann = join(servers[0], 'Ann');
    const ben = join(servers[1], 'Ben');
    await waitFor(() => ann.provider.synced && ben.provider.synced, { what: 'synced' });

    const autos = async () => (await versions.listVersions('shared')).filter((v) => v.kind === 'auto').reverse();
    const settle = async (round: number, draw: () => void) => {
      draw();
      await waitFor(() => json(ann.doc) === json(ben.doc), { what: `round ${round} converged` });
      await waitFor(async () => (await autos()).length >= round, { timeout: 10_000, what: `version of round ${round}` });
      // both servers' timers have fired well before this
      await sleep(SETTLE_MS * 3);
      const taken = await autos();
      expect(taken, `round ${round}`).toHaveLength(round);
      expect(shapesOfState((await versions.loadVersionState('shared', taken[round - 1].id))!)).toEqual(shapesOf(ann.doc));
      return taken[round - 1];
    };

    // both draw, on both servers
    const v1 = await settle(1, () => {
      drawShapes(ann.doc, 3, 'ann');
      drawShapes(ben.doc, 2, 'ben', 100);
    });
    expect(v1).toMatchObject({ added: 5, shapeCount: 5 });

    // only one server's client draws: the other server still sees the change (relayed) and must not add a second version
    const v2 = await settle(2, () => drawShapes(ben.doc, 4, 'ben', 1000));
    expect(v2).toMatchObject({ added: 4, shapeCount: 9 });

    // a burst on both, several rounds apart
    for (let i = 0; i < 5; i++) {
      drawShapes(ann.doc, 1, 'ann', 2000 + i * 10);
      drawShapes(ben.doc, 1, 'ben', 3000 + i * 10);
      await sleep(50);
    }
    const v3 = await settle(3, () => {});
    expect(v3).toMatchObject({ added: 10, shapeCount: 19 });
    // every round, both servers tried; the store let exactly one through
    expect(versions.calls.filter((c) => c.boardId === 'shared').map((c) => c.skipped)).toEqual([false, true, false, true, false, true]);
  });

  it('deleting a board on one server closes its connections on the other at once (Redis), not at the next sweep', { timeout: 60_000 }, async () => {
    const { servers } = await twoServers({ linkSweepMs: 60_000 });
    const closes: number[] = [];
    const far = connectClient(servers[1].url, 'doomed', new Y.Doc(), { token: testToken('doomed') });
    cleanups.push(() => far.destroy());
    far.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
    await waitFor(() => far.provider.synced, { what: 'synced on the other server' });
    const res = await callApi(httpBase(servers[0]), 'DELETE', '/boards/doomed');
    expect(res.status).toBe(200);
    const deletedAt = Date.now();
    await waitFor(() => closes.length > 0, { timeout: 5_000, what: '4410 on the other server' });
    expect(Date.now() - deletedAt).toBeLessThan(2_000);
    expect(closes).toEqual([CloseCode.BoardDeleted]);
  });

  it('real processes on Postgres: one automatic version per settle, a restore on one server reaches the other', { timeout: 120_000 }, async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const redis = await startOwnRedis(OWN_REDIS_PORTS);
    cleanups.push(() => redis.stop());
    const cluster = await startCluster(2, {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      CLUSTER_POLL_MS: '300',
      HISTORY_SETTLE_MS: String(SETTLE_MS),
      HISTORY_INTERVAL_MS: '60000',
    });
    cleanups.push(() => cluster.stop());
    const [s1, s2] = cluster.servers;
    const base = (s: { port: number }) => `http://127.0.0.1:${s.port}`;
    const join = (url: string, name: string): TestClient => {
      const c = connectClient(url, 'pg-shared', new Y.Doc(), { token: testToken('pg-shared', { name }) });
      cleanups.push(() => c.destroy());
      return c;
    };
    const ann = join(s1.url, 'Ann');
    const ben = join(s2.url, 'Ben');
    await waitFor(() => ann.provider.synced && ben.provider.synced, { timeout: 20_000, what: 'synced' });
    const list = async (s: { port: number }) => ((await callApi(base(s), 'GET', '/boards/pg-shared/versions')).body as VersionList).versions;

    for (let round = 1; round <= 3; round++) {
      drawShapes(ann.doc, 2, 'ann', round * 1000);
      drawShapes(ben.doc, 3, 'ben', round * 1000 + 500);
      await waitFor(() => json(ann.doc) === json(ben.doc), { timeout: 10_000, what: `round ${round} converged` });
      await waitFor(async () => (await list(s2)).length >= round, { timeout: 10_000, what: `version of round ${round}` });
      await sleep(SETTLE_MS * 3);
      const versions = await list(s1);
      expect(versions.map((v) => v.kind), `round ${round}`).toEqual(Array.from({ length: round }, () => 'auto'));
      expect(versions[0]).toMatchObject({ added: 5, shapeCount: 5 * round });
      const state = await callApi(base(s2), 'GET', `/boards/pg-shared/versions/${versions[0].id}/state`);
      expect(json(docOf(state.body as Uint8Array))).toBe(json(ann.doc));
    }

    // restore the first round's version through server 1; the client on server 2 gets it
    const [, , first] = await list(s1);
    const restored = await callApi(base(s1), 'POST', `/boards/pg-shared/versions/${first.id}/restore`, { body: { by: 'Ann' } });
    expect(restored).toMatchObject({ status: 200, body: { removed: 10, preRestore: { kind: 'pre-restore' } } });
    const firstState = docOf((await callApi(base(s2), 'GET', `/boards/pg-shared/versions/${first.id}/state`)).body as Uint8Array);
    await waitFor(() => json(ben.doc) === json(firstState) && json(ann.doc) === json(firstState), { timeout: 10_000, what: 'restore everywhere' });
  });
});
