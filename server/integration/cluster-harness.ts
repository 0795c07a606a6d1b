/**
 * Test and bench rig for scale-out: a fresh PostgreSQL database per run, a private redis-server
 * that a test may kill and restart (never the system one), a round-robin TCP load balancer with
 * no stickiness, and N real `tsx server/index.ts` processes on one database and one Redis.
 *
 * Missing services: tests say so loudly and skip, except under CI=true where they fail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { describe, it } from 'vitest';
import { makeTempDir, spawnServer, type ChildServer } from '../testing/helpers';

/** Admin connection used to create and drop per-run databases (trust auth as user postgres). */
export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Our own redis-servers listen in this range (6390-6399), never on the system 6379. */
const REDIS_PORTS = { first: 6390, last: 6399 };
const REDIS_BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';

export type Service = 'postgres' | 'redis-server';

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return `PostgreSQL unreachable at ${PG_ADMIN_URL}: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    await client.end().catch(() => {});
  }
}

function probeRedisServer(): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(REDIS_BIN, ['--version'], { stdio: 'ignore' });
    child.once('error', () => resolve(`${REDIS_BIN} not found (apt-get install redis-server)`));
    child.once('exit', (code) => resolve(code === 0 ? null : `${REDIS_BIN} --version exited ${code}`));
  });
}

/** Problems with the services `needs` lists; empty when all are there. */
export async function missingServices(needs: readonly Service[]): Promise<string[]> {
  const checks = await Promise.all(needs.map((s) => (s === 'postgres' ? probePostgres() : probeRedisServer())));
  return checks.filter((c): c is string => c !== null);
}

/**
 * `describe` that needs real services: runs normally when they are there; otherwise prints a loud
 * warning and skips, or under CI=true fails with the reason.
 */
export function describeWithServices(name: string, missing: string[], body: () => void): void {
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const reason = missing.join('; ');
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('has the services it needs', () => {
        throw new Error(`required service missing under CI: ${reason}`);
      });
    });
    return;
  }
  console.warn(`\n${'!'.repeat(78)}\n!! SKIPPING "${name}": ${reason}\n${'!'.repeat(78)}\n`);
  describe.skip(name, body);
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** CREATE DATABASE with a random name; drop() removes it even with connections still open. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `commonboard_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface OwnRedis {
  port: number;
  url: string;
  pid: number;
  /** kill -9 (simulates a crash; pub/sub state is gone). */
  kill(): Promise<void>;
  /** Starts a fresh redis-server on the same port (after kill). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function launchRedis(port: number): Promise<ChildProcess | null> {
  return new Promise((resolve) => {
    const child = spawn(REDIS_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve(child);
    });
    child.once('exit', () => resolve(null)); // port taken by a parallel run: caller tries the next
    child.once('error', () => resolve(null));
  });
}

/**
 * A private redis-server (no persistence) on the first free port of `ports` (within 6390-6399).
 * Test files that kill and restart theirs use disjoint ranges, so a parallel file can never take
 * the port while it is down.
 */
export async function startOwnRedis(ports: { first: number; last: number } = REDIS_PORTS): Promise<OwnRedis> {
  for (let port = Math.max(ports.first, REDIS_PORTS.first); port <= Math.min(ports.last, REDIS_PORTS.last); port++) {
    if (!(await portFree(port))) continue;
    let child = await launchRedis(port);
    if (!child) continue;
    const exited = (c: ChildProcess) =>
      c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r()));
    const own: OwnRedis = {
      port,
      url: `redis://127.0.0.1:${port}`,
      get pid() {
        return child?.pid ?? -1;
      },
      async kill() {
        if (!child) return;
        const c = child;
        c.kill('SIGKILL');
        await exited(c);
      },
      async restart() {
        for (let i = 0; i < 50; i++) {
          child = await launchRedis(port);
          if (child) return;
          await new Promise((r) => setTimeout(r, 100)); // the old socket may linger a moment
        }
        throw new Error(`redis-server did not restart on ${port}`);
      },
      async stop() {
        if (!child) return;
        const c = child;
        c.kill('SIGTERM');
        await exited(c);
      },
    };
    return own;
  }
  throw new Error(`no free port for redis-server in ${ports.first}-${ports.last}`);
}

export interface Balancer {
  port: number;
  url: string;
  /** Connections accepted, per upstream port. */
  readonly routed: Map<number, number>;
  close(): Promise<void>;
}

/**
 * Round-robin TCP balancer with no stickiness: each connection goes to the next upstream that
 * accepts it (a dead one is skipped), as a plain L4 load balancer would. `listenPort` 0 = any free
 * port; e2e/cluster.spec.ts puts it on the port the web app's SYNC_URL names.
 */
export async function startBalancer(upstreams: () => number[], listenPort = 0): Promise<Balancer> {
  let next = 0;
  const routed = new Map<number, number>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.pause();
    const ports = upstreams();
    const attempt = (tries: number): void => {
      if (tries >= ports.length) {
        client.destroy();
        return;
      }
      const port = ports[next++ % ports.length];
      const up = net.connect(port, '127.0.0.1');
      up.once('error', () => {
        if (!up.remoteAddress || up.connecting) attempt(tries + 1);
        else client.destroy();
      });
      up.once('connect', () => {
        routed.set(port, (routed.get(port) ?? 0) + 1);
        sockets.add(up);
        up.once('close', () => sockets.delete(up));
        up.on('error', () => client.destroy());
        client.on('error', () => up.destroy());
        client.pipe(up).pipe(client);
        client.resume();
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject); // e.g. a fixed listenPort still taken
    server.listen(listenPort, '127.0.0.1', resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    routed,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export interface Cluster {
  servers: ChildServer[];
  /** Ports of the servers still running. */
  livePorts(): number[];
  kill(index: number): Promise<void>;
  stop(): Promise<void>;
}

/** N sync-server processes on one database and one Redis, each with its own (unused) DATA_DIR. */
export async function startCluster(n: number, env: { DATABASE_URL: string; REDIS_URL: string } & Record<string, string>): Promise<Cluster> {
  const tmp = makeTempDir();
  const started = await Promise.allSettled(Array.from({ length: n }, (_, i) => spawnServer(tmp.dir, { SERVER_ID: `s${i + 1}`, ...env })));
  const servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (servers.length < n) {
    // leave no orphan behind when one of them fails to start
    for (const s of servers) s.child.kill('SIGKILL');
    tmp.remove();
    throw (started.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
  }
  const alive = (s: ChildServer) => s.child.exitCode === null && s.child.signalCode === null;
  return {
    servers,
    livePorts: () => servers.filter(alive).map((s) => s.port),
    async kill(index) {
      const s = servers[index];
      process.kill(s.pid, 'SIGKILL');
      await s.exited;
    },
    async stop() {
      await Promise.all(
        servers.filter(alive).map(async (s) => {
          s.child.kill('SIGKILL');
          await s.exited;
        }),
      );
      tmp.remove();
    },
  };
}
