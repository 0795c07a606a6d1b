/**
 * `npx tsx bench/server/durability.ts [seconds] [updatesPerCommit]`: commit latency and the most
 * commits per second of SqliteStorage with SYNC_DURABILITY=normal vs full, back to back in one run
 * (normal, full, normal, full), on a fresh file in the OS temp dir. A commit is what the server's
 * flush ticker does once per event-loop turn: one appendBatch of that turn's updates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../../server/persistence/sqlite';

const seconds = Number(process.argv[2] ?? 3);
const perCommit = Number(process.argv[3] ?? 10);
const update = new Uint8Array(120).fill(7);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function run(mode: 'normal' | 'full'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-durability-'));
  const storage = new SqliteStorage(join(dir, 'commonboard.db'), { synchronous: mode });
  try {
    const times: number[] = [];
    const batch = [{ boardId: 'b', updates: Array.from({ length: perCommit }, () => update) }];
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      const t = performance.now();
      await storage.appendBatch(batch);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const rate = times.length / seconds;
    return `${mode.padEnd(6)} commits/s ${rate.toFixed(0).padStart(6)}  updates/s ${(rate * perCommit).toFixed(0).padStart(7)}  commit p50 ${pct(times, 0.5).toFixed(3)} ms  p99 ${pct(times, 0.99).toFixed(3)} ms  max ${times[times.length - 1].toFixed(2)} ms`;
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`SqliteStorage.appendBatch, ${perCommit} x ${update.byteLength} B per commit, ${seconds} s per mode; tmpdir ${tmpdir()}`);
for (const mode of ['normal', 'full', 'normal', 'full'] as const) console.log(await run(mode));
