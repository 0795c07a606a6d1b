/**
 * Scale-out failure modes beyond a crash: Postgres going away under a server (not ready, writes
 * refused with 1011, nothing half-sent), a network blip between the servers and Redis (every
 * subscriber connection cut while edits flow: the messages published meanwhile are lost and must
 * be read back from Postgres), and a share link rotated on one server closing connections that
 * were opened with it on another.
 */
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mintServiceToken } from '../../lib/auth/token';
import { CloseCode } from '../../lib/protocol/close-codes';
import { PostgresStorage } from '../persistence/postgres';
import { encodeEnvelope } from '../scale/envelope';
import { CHANNEL_PREFIX } from '../scale/redis-bus';
import { encodeAwarenessMessage } from '../protocol/messages';
import * as encoding from 'lib0/encoding';
import { connectClient, rawClient, TEST_AUTH_SECRET, testToken, waitFor, type TestClient } from '../testing/helpers';
import { createTestDatabase, describeWithServices, missingServices, startCluster, startOwnRedis, type Cluster, type OwnRedis } from './cluster-harness';

/** This file's redis-server ports (see startOwnRedis). */
const OWN_REDIS_PORTS = { first: 6393, last: 6396 };

const missing = await missingServices(['postgres', 'redis-server']);

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function cluster(n: number, env: Record<string, string> = {}): Promise<{ cluster: Cluster; redis: OwnRedis; databaseUrl: string; dropDatabase: () => Promise<void> }> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  const redis = await startOwnRedis(OWN_REDIS_PORTS);
  cleanups.push(() => redis.stop());
  const c = await startCluster(n, { DATABASE_URL: db.url, REDIS_URL: redis.url, ...env });
  cleanups.push(() => c.stop());
  return { cluster: c, redis, databaseUrl: db.url, dropDatabase: () => db.drop() };
}

function client(url: string, boardId: string, token?: string): TestClient {
  const c = connectClient(url, boardId, undefined, token === undefined ? {} : { token });
  cleanups.push(() => c.destroy());
  return c;
}

/** `CLIENT KILL TYPE pubsub`: cuts every subscriber connection, as a network blip would. */
async function killSubscribers(url: string): Promise<void> {
  const admin = new Redis(url);
  try {
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
  } finally {
    await admin.quit();
  }
}

async function metric(port: number, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return [...text.matchAll(pattern)].reduce((n, m) => n + Number(m[1]), 0);
}

describeWithServices('cluster failure modes', missing, () => {
  it('a blip between servers and Redis loses pub/sub messages; storage fills the hole', { timeout: 90_000 }, async () => {
    // a long poll, so what heals the hole is the reconnect catch-up, not the periodic check
    const { cluster: c, redis } = await cluster(2, { CLUSTER_POLL_MS: '600000' });
    const [a, b] = c.servers.map((s) => client(s.url, 'blip'));
    await waitFor(() => a.provider.synced && b.provider.synced, { timeout: 20_000, what: 'synced' });

    let n = 0;
    let writing = true;
    const loop = (async () => {
      while (writing) {
        a.doc.getMap('shapes').set(`k${n++}`, n);
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    await waitFor(() => n >= 50, { timeout: 20_000, what: 'editing' });
    for (let i = 0; i < 3; i++) {
      await killSubscribers(redis.url);
      await new Promise((r) => setTimeout(r, 30)); // keep editing while the subscribers reconnect
    }
    await waitFor(() => n >= 300, { timeout: 20_000, what: 'editing after the blips' });
    writing = false;
    await loop;
    await waitFor(() => b.doc.getMap('shapes').size === n, { timeout: 30_000, what: 'B has every edit' });
    expect(b.doc.getMap('shapes').toJSON()).toEqual(a.doc.getMap('shapes').toJSON());
    expect(await metric(c.servers[1].port, /commonboard_cluster_catchups_total\{reason="(?:reconnect|gap)"\} (\d+)/g)).toBeGreaterThan(0);
  });

  it('applies another server\'s updates in seq order and fills a corrupted one from Postgres', { timeout: 60_000 }, async () => {
    const { cluster: c, redis, databaseUrl } = await cluster(1, { CLUSTER_POLL_MS: '600000' });
    const watcher = client(c.servers[0].url, 'forged');
    await waitFor(() => watcher.provider.synced, { timeout: 20_000, what: 'synced' });
    // play "another server": commit four updates to Postgres, then publish them out of order,
    // the first one corrupted in transit
    const storage = await PostgresStorage.open(databaseUrl);
    cleanups.push(() => storage.close());
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 1; i <= 4; i++) doc.getArray('order').push([i]);
    for (const u of updates) await storage.appendUpdates('forged', [u]);
    const pub = new Redis(redis.url);
    cleanups.push(() => pub.quit());
    const send = (firstSeq: number, list: Uint8Array[]) =>
      pub.publish(`${CHANNEL_PREFIX}forged`, Buffer.from(encodeEnvelope({ kind: 'updates', serverId: 'elsewhere', sentAt: Date.now(), firstSeq, updates: list })));
    await send(4, [updates[3]]);
    await send(2, [updates[1]]);
    await send(1, [new Uint8Array([0, 255, 1])]);
    await send(3, [updates[2]]);
    await waitFor(() => watcher.doc.getArray('order').length === 4, { timeout: 20_000, what: 'all four applied' });
    expect(watcher.doc.getArray('order').toArray()).toEqual([1, 2, 3, 4]);
    const port = c.servers[0].port;
    expect(await metric(port, /commonboard_errors_total\{kind="cluster_message"\} (\d+)/g)).toBeGreaterThan(0);
    expect(await metric(port, /commonboard_cluster_catchups_total\{reason="gap"\} (\d+)/g)).toBeGreaterThan(0);
  });

  it('reports not ready while Postgres is unreachable; edits there are refused, never half-sent', { timeout: 60_000 }, async () => {
    const { cluster: c, dropDatabase } = await cluster(1, { CLUSTER_POLL_MS: '600000' });
    const port = c.servers[0].port;
    const a = client(c.servers[0].url, 'pg-gone');
    const b = client(c.servers[0].url, 'pg-gone');
    await waitFor(() => a.provider.synced && b.provider.synced, { timeout: 20_000, what: 'synced' });
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    // the database disappears under the running server (every connection to it is terminated)
    await dropDatabase();
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 503, { timeout: 20_000, what: 'readyz 503' });
    const body = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { status: string };
    expect(body.status).toBe('storage-unavailable');
    const closes: number[] = [];
    b.provider.on('connection-close', (e: CloseEvent | null) => {
      if (e) closes.push(e.code);
    });
    a.doc.getMap('shapes').set('unsaved', 1);
    // the write fails: the board closes its sockets with 1011, and B never received the edit
    await waitFor(() => closes.includes(1011), { timeout: 20_000, what: '1011 close' });
    expect(b.doc.getMap('shapes').has('unsaved')).toBe(false);
  });

  it('presence: another server\'s client id cannot be taken over; a killed server\'s cursors go within seconds', { timeout: 90_000 }, async () => {
    const { cluster: c } = await cluster(3);
    const [s1, s2, s3] = c.servers;
    const alice = client(s1.url, 'ids');
    const bob = client(s3.url, 'ids');
    await waitFor(() => alice.provider.synced && bob.provider.synced, { timeout: 20_000, what: 'synced' });
    alice.provider.awareness.setLocalStateField('user', { name: 'alice' });
    const aliceOnBob = () => (bob.provider.awareness.getStates().get(alice.doc.clientID) as { user?: { name?: string } } | undefined)?.user?.name;
    await waitFor(() => aliceOnBob() === 'alice', { timeout: 20_000, what: 'bob sees alice' });

    // once server 2 has the board and knows alice (a client of its own sees her) ...
    const carol = client(s2.url, 'ids');
    await waitFor(() => (carol.provider.awareness.getStates().get(alice.doc.clientID) as { user?: unknown } | undefined)?.user !== undefined, {
      timeout: 20_000,
      what: 'server 2 knows alice',
    });
    // ... mallory, on server 2, announces alice's client id with a newer clock
    const mallory = rawClient(`${s2.url}/ids`);
    cleanups.push(() => mallory.ws.close());
    await mallory.opened;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, alice.doc.clientID);
    encoding.writeVarUint(e, 1_000);
    encoding.writeVarString(e, JSON.stringify({ user: { name: 'mallory' } }));
    mallory.ws.send(encodeAwarenessMessage(encoding.toUint8Array(e)));
    await waitFor(async () => (await metric(s2.port, /commonboard_errors_total\{kind="awareness_foreign"\} (\d+)/g)) > 0, {
      timeout: 20_000,
      what: 'server 2 refused the foreign id',
    });
    expect(aliceOnBob()).toBe('alice');

    // alice's server dies: bob stops seeing her long before the 30 s presence timeout
    const killedAt = Date.now();
    await c.kill(0);
    await waitFor(() => aliceOnBob() === undefined, { timeout: 30_000, what: 'alice gone on bob' });
    expect(Date.now() - killedAt).toBeLessThan(20_000);
  });

  it('starts while Redis is down (not ready, edits still stored) and becomes ready when it comes up', { timeout: 60_000 }, async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const redis = await startOwnRedis(OWN_REDIS_PORTS);
    cleanups.push(() => redis.stop());
    await redis.kill();
    const c = await startCluster(2, { DATABASE_URL: db.url, REDIS_URL: redis.url, CLUSTER_POLL_MS: '300' });
    cleanups.push(() => c.stop());
    const ready = async (port: number) => (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
    expect(await ready(c.servers[0].port)).toBe(503);
    const [a, b] = c.servers.map((s) => client(s.url, 'late-redis'));
    await waitFor(() => a.provider.synced && b.provider.synced, { timeout: 20_000, what: 'synced without Redis' });
    a.doc.getMap('shapes').set('before-redis', 1);
    await waitFor(() => b.doc.getMap('shapes').has('before-redis'), { timeout: 20_000, what: 'relayed through Postgres' });
    await redis.restart();
    await waitFor(async () => (await ready(c.servers[0].port)) === 200 && (await ready(c.servers[1].port)) === 200, {
      timeout: 30_000,
      what: 'ready once Redis is up',
    });
    b.doc.getMap('shapes').set('after-redis', 2);
    await waitFor(() => a.doc.getMap('shapes').has('after-redis'), { timeout: 20_000, what: 'relayed' });
  });

  it('rotating a share link on one server closes its connections on the others', { timeout: 60_000 }, async () => {
    const { cluster: c } = await cluster(2);
    const [s1, s2] = c.servers;
    const secret = new TextEncoder().encode(TEST_AUTH_SECRET);
    const api = async (path: string, body?: unknown) => {
      const res = await fetch(`http://127.0.0.1:${s1.port}/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await mintServiceToken(secret)}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { view: { version: number } };
    };
    const links = await api('/boards/rotated/links');
    // a viewer who opened the view link, connected to the OTHER server
    const viewer = client(s2.url, 'rotated', testToken('rotated', { role: 'viewer', lv: links.view.version }));
    const closes: number[] = [];
    viewer.provider.on('connection-close', (e: CloseEvent | null) => {
      if (e) closes.push(e.code);
    });
    await waitFor(() => viewer.provider.synced, { timeout: 20_000, what: 'viewer synced' });

    const rotated = await api('/boards/rotated/links/rotate', { kind: 'view' });
    expect(rotated.view.version).toBe(links.view.version + 1);
    await waitFor(() => closes.includes(CloseCode.Unauthorized), { timeout: 20_000, what: 'viewer on server 2 closed with 4401' });
  });
});
