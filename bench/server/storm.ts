/** The `idle` (many quiet connections) and `joinstorm` (many joins on one big board) scenarios. */
import { loadavg } from 'node:os';
import type { Options } from './options';
import { splitBoards, type WorkerPool } from './pool';
import { summarize, type Summary } from './stats';
import { CpuWindow, Target, type TargetName } from './target';
import { boardIds } from './load';
import { tokensFor } from './tokens';
import { wallNow } from './worker-clients';

export interface IdleMetrics {
  connections: number;
  failed: number;
  syncMs: Summary;
  serverCpuPct: number;
  /** CPU time per connection per second of idling, in microseconds. */
  cpuUsPerConnSec: number;
  baselineRssKB: number;
  rssKB: number;
  kbPerConnection: number;
  serverAlive: boolean;
  hostLoad: number;
}

export async function runIdle(pool: WorkerPool, name: TargetName, o: Options): Promise<IdleMetrics> {
  const target = await Target.start(name);
  try {
    await new Promise((r) => setTimeout(r, 500));
    const baselineRssKB = target.memory().rssKB;
    const perBoard = Math.max(1, Math.round(o.idleConnections / o.idleBoards));
    const allBoards = boardIds('idle', o.idleBoards);
    const tokens = await tokensFor(name, allBoards);
    const opened = await pool.each(
      'opened',
      splitBoards(allBoards, pool.size).map((boards) => ({
        cmd: 'open' as const,
        url: target.url,
        boards,
        tokens,
        clientsPerBoard: perBoard,
        mode: 'raw' as const,
        awareness: o.idleAwareness,
        concurrency: 100,
        startAt: 0,
        syncTimeoutMs: 30_000,
      })),
    );
    await new Promise((r) => setTimeout(r, 3_000)); // let connection setup garbage settle
    const cpu = new CpuWindow(target);
    await new Promise((r) => setTimeout(r, o.idleSeconds * 1000));
    const serverCpuPct = cpu.percent();
    const { rssKB } = target.memory();
    const connections = opened.reduce((n, x) => n + x.syncMs.length, 0);
    return {
      connections,
      failed: opened.reduce((n, x) => n + x.failed, 0),
      syncMs: summarize(opened.flatMap((x) => x.syncMs)),
      serverCpuPct,
      cpuUsPerConnSec: connections ? ((serverCpuPct / 100) * 1e6) / connections : NaN,
      baselineRssKB,
      rssKB,
      kbPerConnection: connections ? (rssKB - baselineRssKB) / connections : NaN,
      serverAlive: target.alive,
      hostLoad: loadavg()[0],
    };
  } finally {
    await pool.all('closed', { cmd: 'close' }).catch(() => undefined);
    await target.stop();
  }
}

export interface JoinMetrics {
  boardBytes: number;
  shapes: number;
  clients: number;
  failed: number;
  /** Clients that synced without the complete board. */
  incomplete: number;
  syncMs: Summary;
  allSyncedMs: number;
  serverCpuPct: number;
  /** The storm is usually bound by the clients decoding the board, not by the server. */
  generatorCpuPct: number;
  peakRssKB: number;
  serverAlive: boolean;
}

export async function runJoinStorm(pool: WorkerPool, name: TargetName, o: Options): Promise<JoinMetrics> {
  const target = await Target.start(name);
  try {
    const [board] = boardIds('join', 1);
    const tokens = await tokensFor(name, [board]);
    const [prepared] = await pool.each('prepared', [
      { cmd: 'prepare', url: target.url, board, token: tokens[board], bytes: o.joinBytes },
    ]);
    const shares = Array.from({ length: pool.size }, (_, i) =>
      Math.floor(o.joinClients / pool.size) + (i < o.joinClients % pool.size ? 1 : 0),
    );
    const startAt = wallNow() + 300;
    const cpu = new CpuWindow(target);
    const gen0 = process.cpuUsage();
    const t0 = performance.now();
    const opened = await pool.each(
      'opened',
      shares.map((n) =>
        n === 0
          ? null
          : {
              cmd: 'open' as const,
              url: target.url,
              boards: [board],
              tokens,
              clientsPerBoard: n,
              mode: 'provider' as const,
              awareness: true,
              concurrency: n, // all at once: that is the storm
              startAt,
              syncTimeoutMs: 120_000,
            },
      ),
    );
    const serverCpuPct = cpu.percent();
    const gen = process.cpuUsage(gen0);
    const generatorCpuPct = ((gen.user + gen.system) / 1000 / (performance.now() - t0)) * 100;
    const counts = opened.flatMap((x) => x.shapeCounts);
    return {
      boardBytes: prepared.bytes,
      shapes: prepared.shapes,
      clients: o.joinClients,
      failed: opened.reduce((n, x) => n + x.failed, 0),
      incomplete: counts.filter((c) => c !== prepared.shapes).length,
      syncMs: summarize(opened.flatMap((x) => x.syncMs)),
      allSyncedMs: Math.max(...opened.map((x) => x.lastSyncedAt)) - startAt,
      serverCpuPct,
      generatorCpuPct,
      peakRssKB: target.memory().peakKB,
      serverAlive: target.alive,
    };
  } finally {
    await pool.all('closed', { cmd: 'close' }).catch(() => undefined);
    await target.stop();
  }
}
