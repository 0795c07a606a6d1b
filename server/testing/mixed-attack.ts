/**
 * The mixed-attack scenario: a real server process, a healthy board edited by two stock clients
 * (each edit timed from A's write to B seeing it), first alone (baseline), then while a second
 * child process attacks another board (attackers.ts). Afterwards the server is restarted from its
 * data dir and the attacked board is read back: nothing a viewer sent may be stored.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { connectClient, spawnServer, waitFor, type ChildServer } from './helpers';

const ROOT = resolve(import.meta.dirname, '../..');

export interface MixedAttackResult {
  baselineMs: number[];
  attackMs: number[];
  /** Healthy edits not seen by the other client within 5 s. */
  lost: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  rssAfterMiB: number;
  attackCounts: Record<string, number>;
  /** Keys written by viewers that storage holds after the restart (must be empty). */
  storedViewerKeys: string[];
  serverAlive: boolean;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Edits the healthy board every `intervalMs` for `ms`, timing each from A's write to B's observe. */
async function timedEdits(a: ReturnType<typeof connectClient>, b: ReturnType<typeof connectClient>, ms: number, intervalMs: number, label: string) {
  const times: number[] = [];
  const started = new Map<string, number>();
  const seen = (e: { keysChanged: Set<string> }) => {
    for (const key of e.keysChanged) {
      const t0 = started.get(key);
      if (t0 !== undefined) {
        times.push(performance.now() - t0);
        started.delete(key);
      }
    }
  };
  const map = b.doc.getMap('health');
  map.observe(seen);
  const end = Date.now() + ms;
  for (let i = 0; Date.now() < end; i++) {
    const key = `${label}-${i}`;
    started.set(key, performance.now());
    a.doc.getMap('health').set(key, i);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  await waitFor(() => started.size === 0, { timeout: 5_000, what: 'last edits' }).catch(() => undefined);
  map.unobserve(seen);
  return { times, lost: started.size };
}

export async function runMixedAttack(
  dataDir: string,
  { baselineMs = 3_000, attackMs = 8_000, intervalMs = 50, serverNodeOptions = '' } = {},
): Promise<MixedAttackResult> {
  // NODE_OPTIONS for the server alone (the attacker and this process keep theirs)
  let server: ChildServer = await spawnServer(dataDir, { LOG_LEVEL: 'info', NODE_OPTIONS: serverNodeOptions });
  const healthy = 'healthy-board';
  const target = 'attacked-board';
  const a = connectClient(server.url, healthy);
  const b = connectClient(server.url, healthy);
  try {
    await waitFor(() => a.provider.synced && b.provider.synced, { what: 'healthy pair synced' });
    const baseline = await timedEdits(a, b, baselineMs, intervalMs, 'baseline');
    const rssBeforeMiB = rssMiB(server.pid);
    let rssPeakMiB = rssBeforeMiB;
    const sampler = setInterval(() => {
      try {
        rssPeakMiB = Math.max(rssPeakMiB, rssMiB(server.pid));
      } catch {
        // the process is gone; serverAlive says so
      }
    }, 100);
    const attacker = spawn(process.execPath, ['--import', 'tsx', 'server/testing/attack-main.ts', String(server.port), target, String(attackMs)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    attacker.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const attackerDone = new Promise<void>((r) => attacker.once('exit', () => r()));
    const during = await timedEdits(a, b, attackMs, intervalMs, 'attack');
    await attackerDone;
    clearInterval(sampler);
    let serverAlive = server.child.exitCode === null && server.child.signalCode === null;
    if (serverAlive) serverAlive = (await fetch(`http://127.0.0.1:${server.port}/healthz`)).status === 200;
    await new Promise((r) => setTimeout(r, 1_000)); // let closing sockets go
    const rssAfterMiB = serverAlive ? rssMiB(server.pid) : NaN;

    a.destroy();
    b.destroy();
    server.child.kill('SIGTERM');
    await server.exited;
    // read the attacked board back from disk through a fresh process
    server = await spawnServer(dataDir);
    const reader = connectClient(server.url, target);
    await waitFor(() => reader.provider.synced, { what: 'attacked board loaded' });
    const storedViewerKeys = [...reader.doc.getMap('hack').keys()];
    reader.destroy();
    let attackCounts: Record<string, number> = {};
    try {
      attackCounts = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, number>;
    } catch {
      // the attacker printed nothing parsable; counts stay empty
    }
    return {
      baselineMs: baseline.times,
      attackMs: during.times,
      lost: baseline.lost + during.lost,
      rssBeforeMiB,
      rssPeakMiB,
      rssAfterMiB,
      attackCounts,
      storedViewerKeys,
      serverAlive,
    };
  } finally {
    a.destroy();
    b.destroy();
    server.child.kill('SIGKILL');
  }
}
