/**
 * Scale-out with THREE real server processes (`tsx server/index.ts`) on one PostgreSQL database
 * (fresh per test) and one private redis-server, real y-websocket clients spread over them:
 * convergence of edits and presence, a server kill -9'ed mid-edit, Redis restarted.
 */
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PostgresStorage } from '../persistence/postgres';
import { connectClient, waitFor, type TestClient } from '../testing/helpers';
import {
  createTestDatabase,
  describeWithServices,
  missingServices,
  startBalancer,
  startCluster,
  startOwnRedis,
  type Cluster,
  type OwnRedis,
} from './cluster-harness';

/** This file's redis-server ports (see startOwnRedis). */
const OWN_REDIS_PORTS = { first: 6390, last: 6392 };

const missing = await missingServices(['postgres', 'redis-server']);

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A fresh database, a private Redis and three servers on them. */
async function cluster3(env: Record<string, string> = {}): Promise<{ cluster: Cluster; redis: OwnRedis; databaseUrl: string }> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  const redis = await startOwnRedis(OWN_REDIS_PORTS);
  cleanups.push(() => redis.stop());
  const cluster = await startCluster(3, { DATABASE_URL: db.url, REDIS_URL: redis.url, CLUSTER_POLL_MS: '500', ...env });
  cleanups.push(() => cluster.stop());
  return { cluster, redis, databaseUrl: db.url };
}

function client(url: string, boardId: string): TestClient {
  const c = connectClient(url, boardId);
  cleanups.push(() => c.destroy());
  return c;
}

const mapOf = (c: TestClient) => c.doc.getMap('shapes').toJSON();
const names = (c: TestClient) =>
  [...c.provider.awareness.getStates().values()]
    .map((s) => (s as { user?: { name?: string } }).user?.name)
    .filter((n): n is string => typeof n === 'string')
    .sort();

async function readyz(port: number): Promise<{ status: number; body: { status: string } }> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string } };
}

describeWithServices('cluster: three servers on one Redis and one Postgres', missing, () => {
  it('clients spread over the servers converge on edits and presence', { timeout: 90_000 }, async () => {
    const { cluster } = await cluster3();
    const clients = cluster.servers.flatMap((s) => [client(s.url, 'spread'), client(s.url, 'spread')]);
    await waitFor(() => clients.every((c) => c.provider.synced), { timeout: 20_000, what: 'all synced' });

    clients.forEach((c, i) => {
      c.doc.getMap('shapes').set(`from-${i}`, { x: i });
      c.provider.awareness.setLocalStateField('user', { name: `user-${i}` });
    });
    const everyone = clients.map((_, i) => `user-${i}`).sort();
    await waitFor(() => clients.every((c) => Object.keys(mapOf(c)).length === clients.length), {
      timeout: 20_000,
      what: 'every edit on every client',
    });
    for (const c of clients) expect(mapOf(c)).toEqual(mapOf(clients[0]));
    await waitFor(() => clients.every((c) => names(c).join() === everyone.join()), { timeout: 20_000, what: 'everyone sees everyone' });

    // concurrent edits of one key from different servers settle on one value everywhere
    clients.forEach((c, i) => c.doc.getMap('shapes').set('contested', { by: i }));
    const contested = (c: TestClient) => JSON.stringify(c.doc.getMap('shapes').get('contested'));
    await waitFor(() => clients.every((c) => contested(c) === contested(clients[0])), {
      timeout: 20_000,
      what: 'contested key converged',
    });

    // a client joining later on any server gets the whole board and the others' presence
    const late = client(cluster.servers[2].url, 'spread');
    await waitFor(() => late.provider.synced && Object.keys(mapOf(late)).length === clients.length + 1, { timeout: 20_000, what: 'late joiner synced' });
    await waitFor(() => names(late).join() === everyone.join(), { timeout: 20_000, what: 'late joiner sees presence' });

    // leaving removes presence on the other servers too
    clients[0].destroy();
    await waitFor(() => clients.slice(1).every((c) => !names(c).includes('user-0')), { timeout: 20_000, what: 'departure seen everywhere' });
  });

  it('a server killed -9 mid-edit: its clients reconnect to another and nothing is lost', { timeout: 120_000 }, async () => {
    const { cluster, databaseUrl } = await cluster3();
    const lb = await startBalancer(() => cluster.livePorts());
    cleanups.push(() => lb.close());
    const clients = Array.from({ length: 6 }, () => client(lb.url, 'crash'));
    await waitFor(() => clients.every((c) => c.provider.synced), { timeout: 20_000, what: 'all synced' });
    const victim = cluster.servers[0];
    expect(lb.routed.get(victim.port)).toBeGreaterThan(0); // round robin put clients on it

    // every client writes a new key every few ms; the kill lands in the middle of it
    const written = clients.map(() => 0);
    let writing = true;
    const loops = clients.map(async (c, i) => {
      while (writing) {
        c.doc.getMap('shapes').set(`c${i}-${written[i]++}`, { at: Date.now() });
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    await waitFor(() => written.every((n) => n >= 40), { timeout: 20_000, what: 'editing under way' });
    await cluster.kill(0);
    await waitFor(() => written.every((n) => n >= 120), { timeout: 30_000, what: 'editing after the kill' });
    writing = false;
    await Promise.all(loops);

    const expected = new Set(written.flatMap((n, i) => Array.from({ length: n }, (_, k) => `c${i}-${k}`)));
    await waitFor(() => clients.every((c) => c.provider.synced && Object.keys(mapOf(c)).length === expected.size), {
      timeout: 60_000,
      what: 'every client has every edit',
    });
    for (const c of clients) expect(new Set(Object.keys(mapOf(c)))).toEqual(expected);
    // the victim's clients came back through the balancer, to the two live servers
    const routedTotal = [...lb.routed.values()].reduce((x, y) => x + y, 0);
    expect(routedTotal).toBeGreaterThanOrEqual(6 + (lb.routed.get(victim.port) ?? 0));

    // and Postgres holds all of it (what any server would load)
    const storage = await PostgresStorage.open(databaseUrl);
    cleanups.push(() => storage.close());
    await waitFor(
      async () => {
        const stored = await storage.load('crash');
        const doc = new Y.Doc();
        if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
        for (const u of stored.updates) Y.applyUpdate(doc, u);
        return Object.keys(doc.getMap('shapes').toJSON()).length === expected.size;
      },
      { timeout: 20_000, what: 'Postgres has every edit' },
    );
  });

  it('Redis restarted: edits keep flowing through storage and the cluster heals', { timeout: 120_000 }, async () => {
    const { cluster, redis } = await cluster3();
    const [a, b, c] = cluster.servers.map((s) => client(s.url, 'heal'));
    const all = [a, b, c];
    await waitFor(() => all.every((x) => x.provider.synced), { timeout: 20_000, what: 'synced' });
    all.forEach((x, i) => x.provider.awareness.setLocalStateField('user', { name: `p${i}` }));
    await waitFor(() => all.every((x) => names(x).length === 3), { timeout: 20_000, what: 'presence before' });

    await redis.kill();
    await waitFor(async () => (await readyz(cluster.servers[1].port)).status === 503, { timeout: 20_000, what: 'readyz reports redis down' });
    expect((await readyz(cluster.servers[1].port)).body.status).toBe('redis-unavailable');
    // Redis is gone: updates still reach the other servers through the storage poll
    a.doc.getMap('shapes').set('during-outage', 1);
    b.doc.getMap('shapes').set('during-outage-b', 2);
    await waitFor(() => all.every((x) => x.doc.getMap('shapes').size === 2), { timeout: 30_000, what: 'converged without Redis' });

    await redis.restart();
    await waitFor(async () => (await Promise.all(cluster.servers.map((s) => readyz(s.port)))).every((r) => r.status === 200), {
      timeout: 30_000,
      what: 'all ready again',
    });
    for (let i = 0; i < 20; i++) all[i % 3].doc.getMap('shapes').set(`after-${i}`, i);
    await waitFor(() => all.every((x) => x.doc.getMap('shapes').size === 22), { timeout: 30_000, what: 'converged after restart' });
    all.forEach((x, i) => x.provider.awareness.setLocalStateField('user', { name: `q${i}` }));
    await waitFor(() => all.every((x) => names(x).join() === 'q0,q1,q2'), { timeout: 20_000, what: 'presence relayed again' });

    const metrics = await (await fetch(`http://127.0.0.1:${cluster.servers[2].port}/metrics`)).text();
    expect(metrics).toMatch(/commonboard_redis_connected 1/);
    expect(metrics).toMatch(/commonboard_cluster_catchups_total\{reason="(poll|reconnect)"\} [1-9]/);
  });
});
