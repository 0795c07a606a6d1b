/** Turns each scenario's per-target results into table rows (the JSON keeps the raw results). */
import type { BigBoardResult } from './bigboard';
import type { CapacityStep, LoadMetrics } from './load';
import type { Options, Scenario } from './options';
import type { Row, Section } from './report';
import type { IdleMetrics, JoinMetrics } from './storm';
import type { Summary } from './stats';
import type { TargetName } from './target';

type PerTarget = Partial<Record<TargetName, unknown>>;

const isError = (v: unknown): v is { error: string } => typeof v === 'object' && v !== null && 'error' in v;

/** One row from a getter; targets whose run failed show "error". */
function row<T>(per: PerTarget, metric: string, get: (m: T) => number | string): Row {
  const values: Row['values'] = {};
  for (const [t, m] of Object.entries(per) as [TargetName, unknown][]) {
    values[t] = isError(m) ? 'error' : get(m as T);
  }
  return { metric, values };
}

const pct = (a: number, b: number) => (b === 0 ? 100 : (a / b) * 100);

function summaryRows<T>(per: PerTarget, label: string, get: (m: T) => Summary, q: (keyof Summary)[]): Row[] {
  return q.map((k) => row<T>(per, `${label} ${k} (ms)`, (m) => get(m)[k]));
}

function errors(per: PerTarget): string[] {
  return Object.entries(per)
    .filter(([, m]) => isError(m))
    .map(([t, m]) => `${t} failed: ${(m as { error: string }).error.split('\n')[0]}`);
}

function loadRows(per: PerTarget): Row[] {
  return [
    ...summaryRows<LoadMetrics>(per, 'edit latency', (m) => m.edit, ['p50', 'p95', 'p99', 'max']),
    ...summaryRows<LoadMetrics>(per, 'awareness latency', (m) => m.awareness, ['p50', 'p95', 'p99', 'max']),
    row<LoadMetrics>(per, 'edits delivered/expected', (m) => `${m.editsDelivered}/${m.editsExpected}`),
    row<LoadMetrics>(per, 'edits delivered %', (m) => pct(m.editsDelivered, m.editsExpected)),
    row<LoadMetrics>(per, 'awareness delivered/expected', (m) => `${m.awarenessDelivered}/${m.awarenessExpected}`),
    row<LoadMetrics>(per, 'awareness delivered %', (m) => pct(m.awarenessDelivered, m.awarenessExpected)),
    row<LoadMetrics>(per, 'connect-to-synced p50 (ms)', (m) => m.syncMs.p50),
    row<LoadMetrics>(per, 'connect-to-synced p99 (ms)', (m) => m.syncMs.p99),
    row<LoadMetrics>(per, 'sync failures', (m) => m.syncFailed),
    row<LoadMetrics>(per, 'server CPU % (of one core)', (m) => m.serverCpuPct),
    // robust to a starved box: CPU the server spent per message it got to a client
    row<LoadMetrics>(per, 'server CPU µs per delivery', (m) =>
      ((m.serverCpuPct / 100) * m.durationSec * 1e6) / (m.editsDelivered + m.awarenessDelivered),
    ),
    row<LoadMetrics>(per, 'server RSS idle baseline (MB)', (m) => m.baselineRssKB / 1024),
    row<LoadMetrics>(per, 'server RSS under load (MB)', (m) => m.rssKB / 1024),
    row<LoadMetrics>(per, 'server peak RSS (MB)', (m) => m.peakRssKB / 1024),
    row<LoadMetrics>(per, 'KB per connection', (m) => m.kbPerConnection),
    row<LoadMetrics>(per, 'client disconnects', (m) => m.disconnects),
    row<LoadMetrics>(per, 'boards converged', (m) => `${m.convergedBoards}/${m.boards}`),
    row<LoadMetrics>(per, 'convergence wait after drain (ms)', (m) => m.convergeWaitMs),
    row<LoadMetrics>(per, 'generator CPU % (all threads)', (m) => m.generatorCpuPct),
    row<LoadMetrics>(per, 'generator loop lag p99 (ms, worst)', (m) => m.generatorLagP99),
    row<LoadMetrics>(per, 'generator loop lag max (ms)', (m) => m.generatorLagMax),
    row<LoadMetrics>(per, 'generator loop busy (ELU, worst)', (m) => m.generatorEluMax),
    row<LoadMetrics>(per, 'host load average (1 min)', (m) => m.hostLoad),
  ];
}

export function sectionsFor(scenario: Scenario, o: Options, per: PerTarget): Section {
  switch (scenario) {
    case 'load':
      return {
        title:
          `load: ${o.boards} boards x ${o.clientsPerBoard} clients, ${o.editsPerSec} edits/s + ` +
          `${o.cursorsPerSec} cursors/s per client, ${o.duration} s measured after ${o.warmup} s warmup`,
        rows: loadRows(per),
        notes: errors(per),
      };
    case 'capacity': {
      type Cap = { steps: CapacityStep[]; capacity: number };
      return {
        title: `capacity: ramp ${o.capacitySteps.join(',')} clients (${o.clientsPerBoard}/board, ${o.capacityDuration} s each)`,
        rows: [
          row<Cap>(per, 'max clients with both p99 < 50 ms', (m) => m.capacity),
          row<Cap>(per, 'first failing step (clients)', (m) => m.steps.find((s) => !s.ok)?.clients ?? 'none'),
          row<Cap>(per, '  its edit p99 (ms)', (m) => m.steps.find((s) => !s.ok)?.editP99 ?? NaN),
          row<Cap>(per, '  its awareness p99 (ms)', (m) => m.steps.find((s) => !s.ok)?.awarenessP99 ?? NaN),
          row<Cap>(per, '  its generator loop busy (ELU, worst)', (m) => m.steps.find((s) => !s.ok)?.generatorEluMax ?? NaN),
          row<Cap>(per, '  its generator loop lag p99 (ms, worst)', (m) => m.steps.find((s) => !s.ok)?.generatorLagP99 ?? NaN),
          row<Cap>(per, '  its host load average (1 min)', (m) => m.steps.find((s) => !s.ok)?.hostLoad ?? NaN),
        ],
        notes: [
          'a step also fails if < 99% of edits arrive or a client fails to sync; see JSON for every step (with its generator health)',
          ...errors(per),
        ],
      };
    }
    case 'idle':
      return {
        title: `idle: ${o.idleConnections} raw ws connections on ${o.idleBoards} boards, ${o.idleSeconds} s`,
        rows: [
          row<IdleMetrics>(per, 'connections synced', (m) => m.connections),
          row<IdleMetrics>(per, 'failed', (m) => m.failed),
          row<IdleMetrics>(per, 'connect-to-synced p50 (ms)', (m) => m.syncMs.p50),
          row<IdleMetrics>(per, 'connect-to-synced p99 (ms)', (m) => m.syncMs.p99),
          row<IdleMetrics>(per, 'server CPU % idle', (m) => m.serverCpuPct),
          row<IdleMetrics>(per, 'CPU µs per connection-second', (m) => m.cpuUsPerConnSec),
          row<IdleMetrics>(per, 'server RSS (MB)', (m) => m.rssKB / 1024),
          row<IdleMetrics>(per, 'KB per connection', (m) => m.kbPerConnection),
          row<IdleMetrics>(per, 'host load average (1 min)', (m) => m.hostLoad),
        ],
        notes: [
          `clients are raw ws sockets doing the sync handshake${o.idleAwareness ? ' + one awareness state each' : ''}, not WebsocketProviders`,
          ...errors(per),
        ],
      };
    case 'joinstorm':
      return {
        title: `joinstorm: ${o.joinClients} providers open one ~${(o.joinBytes / 1e6).toFixed(1)} MB board at once`,
        rows: [
          row<JoinMetrics>(per, 'board size (MB, encoded)', (m) => m.boardBytes / 1e6),
          row<JoinMetrics>(per, 'sync p50 (ms)', (m) => m.syncMs.p50),
          row<JoinMetrics>(per, 'sync p99 (ms)', (m) => m.syncMs.p99),
          row<JoinMetrics>(per, 'all synced after (ms)', (m) => m.allSyncedMs),
          row<JoinMetrics>(per, 'failed / incomplete', (m) => `${m.failed}/${m.incomplete}`),
          row<JoinMetrics>(per, 'server CPU % during storm', (m) => m.serverCpuPct),
          row<JoinMetrics>(per, 'generator CPU % during storm', (m) => m.generatorCpuPct),
          row<JoinMetrics>(per, 'server peak RSS (MB)', (m) => m.peakRssKB / 1024),
        ],
        notes: errors(per),
      };
    case 'bigboard': {
      const r = per.commonboard as BigBoardResult | { error: string } | undefined;
      if (!r || isError(r) || 'skipped' in r) {
        return {
          title: `bigboard: ${o.bigboardUpdates} small updates in one board's log (commonboard only)`,
          rows: [],
          notes: [r ? (isError(r) ? `failed: ${r.error}` : r.skipped) : 'skipped'],
        };
      }
      const v = (metric: string, value: number): Row => ({ metric, values: { commonboard: value } });
      return {
        title: `bigboard: ${r.updates} small updates in one board's log (commonboard only)`,
        rows: [
          v('log size (MB)', r.logBytes / 1e6),
          v('append, 1000/txn (ms)', r.appendMs / 2),
          v('storage load (ms)', r.loadMs),
          v('apply to Y.Doc (ms)', r.applyMs),
          v('compact: encode + store (ms)', r.compactMs),
          v('snapshot size (KB)', r.snapshotBytes / 1024),
          v('load + apply after compaction (ms)', r.loadAfterCompactMs),
          v('server: first join, cold (ms)', r.serverFirstJoinMs),
          v('server: second join (ms)', r.serverSecondJoinMs),
        ],
        notes: [],
      };
    }
  }
}
