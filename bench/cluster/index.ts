/**
 * Cross-server vs same-server edit latency, in one run. Run: npm run bench:cluster
 *
 * Three sync-server processes on a fresh Postgres database and a private redis-server (the
 * harness of server/integration/cluster.test.ts). One writer on server 1 makes EDITS edits at
 * RATE per second; observers on server 1 (same server) and on servers 2 and 3 (cross server)
 * time each edit from the writer's set() to its arrival in their doc (one process, one clock).
 * For reference, the same is measured against one SQLite server process (the default setup).
 * Prints a table and writes reports/bench-cluster.json. Numbers only, no assertions.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { connectClient, makeTempDir, spawnServer, waitFor, type ChildServer, type TestClient } from '../../server/testing/helpers';
import { createTestDatabase, missingServices, startCluster, startOwnRedis } from '../../server/integration/cluster-harness';

/** This file's redis-server ports (see startOwnRedis). */
const OWN_REDIS_PORTS = { first: 6397, last: 6399 };

const EDITS = Number(process.env.BENCH_EDITS ?? 600);
const RATE = Number(process.env.BENCH_RATE ?? 60);
const WARMUP = 30;

interface Stats {
  n: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  const round = (v: number) => Math.round(v * 100) / 100;
  return { n: s.length, p50: round(q(0.5)), p99: round(q(0.99)), max: round(s.at(-1) ?? NaN), mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
}

/** Times edits of `writer` as seen by each observer; returns ms samples per observer. */
async function run(writer: TestClient, observers: TestClient[]): Promise<number[][]> {
  const sentAt = new Map<string, number>();
  const samples = observers.map(() => [] as number[]);
  observers.forEach((o, i) =>
    o.doc.getMap('m').observe((ev) => {
      const now = performance.now();
      for (const key of ev.keysChanged) {
        const t = sentAt.get(key);
        if (t !== undefined && !key.startsWith('warm')) samples[i].push(now - t);
      }
    }),
  );
  const all = [writer, ...observers];
  await waitFor(() => all.every((c) => c.provider.synced), { timeout: 30_000, what: 'synced' });
  const edit = (key: string) => {
    sentAt.set(key, performance.now());
    writer.doc.getMap('m').set(key, sentAt.get(key));
  };
  for (let i = 0; i < WARMUP; i++) edit(`warm${i}`);
  await waitFor(() => observers.every((o) => o.doc.getMap('m').size >= WARMUP), { timeout: 30_000, what: 'warm-up relayed' });
  const started = performance.now();
  for (let i = 0; i < EDITS; i++) {
    edit(`e${i}`);
    // paced like a pointer drag; drift-free so a slow tick does not lower the rate
    const due = started + ((i + 1) * 1000) / RATE;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
  }
  await waitFor(() => samples.every((s) => s.length >= EDITS), { timeout: 60_000, what: 'every edit observed' });
  return samples;
}

/** Mean of a Prometheus histogram in ms, from its _sum and _count lines. */
function histogramMean(text: string, name: string): string {
  const sum = new RegExp(`^${name}_sum (\\S+)$`, 'm').exec(text);
  const count = new RegExp(`^${name}_count (\\S+)$`, 'm').exec(text);
  if (!sum || !count || Number(count[1]) === 0) return 'n/a';
  return ((Number(sum[1]) / Number(count[1])) * 1000).toFixed(2);
}

async function main(): Promise<void> {
  const missing = await missingServices(['postgres', 'redis-server']);
  if (missing.length > 0) {
    console.error(`bench:cluster needs PostgreSQL and redis-server: ${missing.join('; ')}`);
    process.exit(1);
  }
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`bench:cluster — ${EDITS} edits at ${RATE}/s, load average before: ${load}`);

  const teardown: (() => unknown)[] = [];
  const db = await createTestDatabase();
  teardown.push(() => db.drop());
  try {
    const redis = await startOwnRedis(OWN_REDIS_PORTS);
    teardown.push(() => redis.stop());
    const cluster = await startCluster(3, { DATABASE_URL: db.url, REDIS_URL: redis.url });
    teardown.push(() => cluster.stop());
    await measure(cluster.servers, load);
  } finally {
    for (const fn of teardown.reverse()) await fn();
  }
}

async function measure([s1, s2, s3]: ChildServer[], loadBefore: string): Promise<void> {
  const sqliteDir = makeTempDir();
  const sqlite = await spawnServer(sqliteDir.dir).catch(() => null);
  const clients: TestClient[] = [];
  const client = (url: string, board: string) => {
    const c = connectClient(url, board);
    clients.push(c);
    return c;
  };
  try {
    const cl = await run(client(s1.url, 'bench'), [client(s1.url, 'bench'), client(s2.url, 'bench'), client(s3.url, 'bench')]);
    const same = stats(cl[0]);
    const cross = stats([...cl[1], ...cl[2]]);
    let single: Stats | null = null;
    if (sqlite) {
      const sl = await run(client(sqlite.url, 'bench'), [client(sqlite.url, 'bench')]);
      single = stats(sl[0]);
    }
    const metrics = await (await fetch(`http://127.0.0.1:${s2.port}/metrics`)).text();
    const relay = histogramMean(metrics, 'commonboard_cluster_relay_seconds');
    const s1Metrics = await (await fetch(`http://127.0.0.1:${s1.port}/metrics`)).text();
    const persist = histogramMean(s1Metrics, 'commonboard_update_persist_seconds');
    const broadcast = histogramMean(s1Metrics, 'commonboard_broadcast_latency_seconds');
    const catchups = [...metrics.matchAll(/commonboard_cluster_catchups_total\{reason="(\w+)"\} (\d+)/g)].map((m) => `${m[1]}=${m[2]}`);

    const row = (name: string, s: Stats | null) =>
      s ? `${name.padEnd(34)} ${String(s.p50).padStart(8)} ${String(s.p99).padStart(8)} ${String(s.max).padStart(8)} ${String(s.n).padStart(6)}` : `${name.padEnd(34)} (not run)`;
    console.log(`${'edit latency, ms'.padEnd(34)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)} ${'n'.padStart(6)}`);
    console.log(row('same server (Postgres + Redis)', same));
    console.log(row('cross server (via Redis)', cross));
    console.log(row('single SQLite server (reference)', single));
    console.log(`server 1 (writer's): persist mean ${persist} ms, frame in -> sent to its other clients mean ${broadcast} ms`);
    console.log(`server 2: commit on server 1 -> applied and sent here, mean ${relay} ms`);
    console.log(`server 2 catch-ups from Postgres: ${catchups.join(', ') || 'none'}`);
    console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    mkdirSync('reports', { recursive: true });
    writeFileSync(
      'reports/bench-cluster.json',
      JSON.stringify({ edits: EDITS, rate: RATE, loadBefore, loadAfter: loadavg(), sameServer: same, crossServer: cross, singleSqlite: single }, null, 2),
    );
  } finally {
    for (const c of clients) c.destroy();
    if (sqlite) {
      sqlite.child.kill('SIGKILL');
      await sqlite.exited;
    }
    sqliteDir.remove();
  }
}

await main();
process.exit(0);
