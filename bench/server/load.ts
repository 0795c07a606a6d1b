/**
 * The `load` and `capacity` scenarios: boards of real WebsocketProviders moving shapes and cursors;
 * latency is from the sender's timestamp to each OTHER client on the board seeing the change.
 */
import { loadavg } from 'node:os';
import type { Options } from './options';
import { splitBoards, type WorkerPool } from './pool';
import { concatFloat64, summarize, type Summary } from './stats';
import { CpuWindow, Target, type TargetName } from './target';
import { tokensFor } from './tokens';
import { wallNow } from './worker-clients';

export interface LoadParams {
  boards: number;
  clientsPerBoard: number;
  editsPerSec: number;
  cursorsPerSec: number;
  duration: number;
  warmup: number;
  cpuProfDir?: string;
}

export interface LoadMetrics {
  clients: number;
  boards: number;
  durationSec: number;
  syncMs: Summary;
  syncFailed: number;
  edit: Summary;
  awareness: Summary;
  editsDelivered: number;
  editsExpected: number;
  awarenessDelivered: number;
  awarenessExpected: number;
  serverCpuPct: number;
  baselineRssKB: number;
  rssKB: number;
  peakRssKB: number;
  kbPerConnection: number;
  generatorCpuPct: number;
  generatorLagP99: number;
  generatorLagMax: number;
  generatorEluMax: number;
  disconnects: number;
  convergedBoards: number;
  convergeWaitMs: number;
  serverAlive: boolean;
  /** 1-minute load average of the host at the end of the window: other work on the box skews everything. */
  hostLoad: number;
}

const sleepUntil = (wall: number) => new Promise((r) => setTimeout(r, Math.max(0, wall - wallNow())));
let runCounter = 0;

export function boardIds(prefix: string, n: number): string[] {
  const run = `${Date.now().toString(36)}${runCounter++}`;
  return Array.from({ length: n }, (_, i) => `${prefix}-${run}-${i}`);
}

export async function runLoad(pool: WorkerPool, name: TargetName, p: LoadParams): Promise<LoadMetrics> {
  const target = await Target.start(name, { cpuProfDir: p.cpuProfDir });
  try {
    await new Promise((r) => setTimeout(r, 500));
    const baselineRssKB = target.memory().rssKB;
    const boards = boardIds('load', p.boards);
    const tokens = await tokensFor(name, boards);
    const opened = await pool.each(
      'opened',
      splitBoards(boards, pool.size).map((b) => ({
        cmd: 'open' as const,
        url: target.url,
        boards: b,
        tokens,
        clientsPerBoard: p.clientsPerBoard,
        mode: 'provider' as const,
        awareness: true,
        concurrency: 50,
        startAt: 0,
        syncTimeoutMs: 30_000,
      })),
    );
    const measureFrom = wallNow() + p.warmup * 1000;
    const measureTo = measureFrom + p.duration * 1000;
    const ran = pool.all('ran', {
      cmd: 'run',
      editsPerSec: p.editsPerSec,
      cursorsPerSec: p.cursorsPerSec,
      measureFrom,
      measureTo,
      drainMs: 30_000,
    });
    await sleepUntil(measureFrom);
    const cpu = new CpuWindow(target);
    const gen0 = process.cpuUsage();
    const t0 = performance.now();
    await sleepUntil(measureTo);
    const serverCpuPct = cpu.percent();
    const gen = process.cpuUsage(gen0);
    const generatorCpuPct = ((gen.user + gen.system) / 1000 / (performance.now() - t0)) * 100;
    const mem = target.memory();
    const results = await ran;
    const converged = await pool.all('converged', { cmd: 'converge' });
    const clients = p.boards * p.clientsPerBoard;
    const sum = <K extends keyof (typeof results)[number]>(k: K) =>
      results.reduce((n, r) => n + (r[k] as number), 0);
    return {
      clients,
      boards: p.boards,
      durationSec: p.duration,
      syncMs: summarize(opened.flatMap((o) => o.syncMs)),
      syncFailed: opened.reduce((n, o) => n + o.failed, 0),
      edit: summarize(concatFloat64(results.map((r) => r.editLatency))),
      awareness: summarize(concatFloat64(results.map((r) => r.awarenessLatency))),
      editsDelivered: sum('editsDelivered'),
      editsExpected: sum('editsExpected'),
      awarenessDelivered: sum('awarenessDelivered'),
      awarenessExpected: sum('awarenessExpected'),
      serverCpuPct,
      baselineRssKB,
      rssKB: mem.rssKB,
      peakRssKB: mem.peakKB,
      kbPerConnection: (mem.rssKB - baselineRssKB) / clients,
      generatorCpuPct,
      generatorLagP99: Math.max(...results.map((r) => r.lag.p99)),
      generatorLagMax: Math.max(...results.map((r) => r.lag.max)),
      generatorEluMax: Math.max(...results.map((r) => r.lag.elu)),
      disconnects: sum('disconnects'),
      convergedBoards: converged.reduce((n, c) => n + c.convergedBoards, 0),
      convergeWaitMs: Math.max(...converged.map((c) => c.waitedMs)),
      serverAlive: target.alive,
      hostLoad: loadavg()[0],
    };
  } finally {
    await pool.all('closed', { cmd: 'close' }).catch(() => undefined);
    await target.stop(p.cpuProfDir ? 30_000 : 5_000); // the profile is lost if we have to SIGKILL
  }
}

export interface CapacityStep {
  clients: number;
  editP99: number;
  awarenessP99: number;
  editDelivery: number;
  ok: boolean;
  /**
   * Generator health during the step: a failing step with a busy generator (ELU near 1, lag p99
   * above the latencies) says more about the box than about the server.
   */
  generatorCpuPct: number;
  generatorLagP99: number;
  generatorEluMax: number;
  serverCpuPct: number;
  hostLoad: number;
}

export const CAPACITY_P99_MS = 50;
/** Lost edits make a p99 meaningless, so a step also needs (almost) every edit delivered. */
export const CAPACITY_MIN_DELIVERY = 0.99;

export async function runCapacity(
  pool: WorkerPool,
  name: TargetName,
  o: Options,
  log: (s: string) => void,
): Promise<{ steps: CapacityStep[]; capacity: number }> {
  const steps: CapacityStep[] = [];
  let capacity = 0;
  for (const clients of o.capacitySteps) {
    const m = await runLoad(pool, name, {
      boards: Math.max(1, Math.round(clients / o.clientsPerBoard)),
      clientsPerBoard: o.clientsPerBoard,
      editsPerSec: o.editsPerSec,
      cursorsPerSec: o.cursorsPerSec,
      duration: o.capacityDuration,
      warmup: 2,
    });
    const editDelivery = m.editsExpected ? m.editsDelivered / m.editsExpected : 1;
    const ok =
      m.edit.p99 < CAPACITY_P99_MS &&
      (m.awareness.n === 0 || m.awareness.p99 < CAPACITY_P99_MS) &&
      editDelivery >= CAPACITY_MIN_DELIVERY &&
      m.syncFailed === 0;
    steps.push({
      clients: m.clients,
      editP99: m.edit.p99,
      awarenessP99: m.awareness.p99,
      editDelivery,
      ok,
      generatorCpuPct: m.generatorCpuPct,
      generatorLagP99: m.generatorLagP99,
      generatorEluMax: m.generatorEluMax,
      serverCpuPct: m.serverCpuPct,
      hostLoad: m.hostLoad,
    });
    log(
      `  capacity ${name} ${m.clients} clients: edit p99 ${m.edit.p99.toFixed(1)} ms, awareness p99 ` +
        `${m.awareness.p99.toFixed(1)} ms, edits delivered ${(editDelivery * 100).toFixed(1)}%, ` +
        `generator lag p99 ${m.generatorLagP99.toFixed(0)} ms, ELU ${m.generatorEluMax.toFixed(2)}, ` +
        `CPU ${m.generatorCpuPct.toFixed(0)}%, load ${m.hostLoad.toFixed(1)} -> ${ok ? 'ok' : 'over'}`,
    );
    if (!ok) break;
    capacity = m.clients;
  }
  return { steps, capacity };
}
