/**
 * `npm run bench:attack [-- --attack-ms 20000 --baseline-ms 5000]`: the hardening issue's mixed
 * attack against a real server process (server/testing/mixed-attack.ts). Prints the healthy board's
 * edit latency before and during the attack, the server's RSS and whether any viewer byte was stored.
 * Targets: edit p99 under attack < 50 ms, RSS growth < 64 MiB, zero viewer keys stored.
 * ATTACK_KINDS=http,fragments,pings,fallback,viewer narrows the attack; ATTACK_SERVER_NODE_OPTIONS
 * sets NODE_OPTIONS for the server process alone (e.g. --max-semi-space-size=4).
 */
import { loadavg } from 'node:os';
import { makeTempDir } from '../../server/testing/helpers';
import { percentile, runMixedAttack } from '../../server/testing/mixed-attack';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(value) || value <= 0) {
    console.error(`--${name} needs a positive integer (milliseconds)`);
    process.exit(2);
  }
  return value;
}

const baselineMs = option('baseline-ms', 5_000);
const attackMs = option('attack-ms', 20_000);
const data = makeTempDir();
try {
  const load = loadavg()[0].toFixed(2);
  const serverNodeOptions = process.env.ATTACK_SERVER_NODE_OPTIONS ?? '';
  if (serverNodeOptions) console.log(`server NODE_OPTIONS: ${serverNodeOptions}`);
  const r = await runMixedAttack(data.dir, { baselineMs, attackMs, serverNodeOptions });
  const row = (label: string, times: number[]) =>
    `${label.padEnd(16)} n=${String(times.length).padStart(5)}  p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms  p95 ${percentile(times, 95)
      .toFixed(1)
      .padStart(6)} ms  p99 ${percentile(times, 99).toFixed(1).padStart(6)} ms  max ${Math.max(...times).toFixed(1).padStart(6)} ms`;
  console.log(`mixed attack: baseline ${baselineMs} ms, attack ${attackMs} ms, load avg at start ${load}`);
  console.log(row('healthy, alone', r.baselineMs));
  console.log(row('healthy, attack', r.attackMs));
  console.log(`edits lost: ${r.lost}`);
  console.log(`server RSS: before ${r.rssBeforeMiB.toFixed(1)} MiB, peak ${r.rssPeakMiB.toFixed(1)} MiB (+${(r.rssPeakMiB - r.rssBeforeMiB).toFixed(1)}), after ${r.rssAfterMiB.toFixed(1)} MiB`);
  console.log(`server alive after the attack: ${r.serverAlive}`);
  console.log(`viewer keys stored: ${r.storedViewerKeys.length}`);
  console.log(`attack volume: ${Object.entries(r.attackCounts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const p99 = percentile(r.attackMs, 99);
  const ok = r.serverAlive && r.storedViewerKeys.length === 0 && r.rssPeakMiB - r.rssBeforeMiB < 64 && p99 < 50 && r.lost === 0;
  console.log(`targets (p99 < 50 ms, RSS +< 64 MiB, nothing stored, nothing lost): ${ok ? 'met' : 'NOT met'}`);
} finally {
  data.remove();
}
