/**
 * `npm run bench:server`: the same workload against the Commonboard sync server and the reference
 * @y/websocket-server, each a fresh child process on its own loopback port; prints one table and
 * writes reports/bench-server.json. See docs/performance.md.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { runBigBoard } from './bigboard';
import { runCapacity, runLoad, CAPACITY_P99_MS } from './load';
import { OptionsError, parseOptions, type Options } from './options';
import { WorkerPool } from './pool';
import { renderTable, type Section } from './report';
import { runIdle, runJoinStorm } from './storm';
import { killAllTargets, ROOT, targetAvailable, type TargetName } from './target';
import { sectionsFor } from './sections';

const log = (s: string) => process.stderr.write(`${s}\n`);

function installCleanup(): void {
  process.on('exit', killAllTargets);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      log(`\n${sig}: stopping servers`);
      killAllTargets();
      process.exit(130);
    });
  }
}

async function main(): Promise<void> {
  let o: Options;
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (err) {
    if (err instanceof OptionsError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  installCleanup();
  const startedAt = new Date().toISOString();
  const targets = o.targets.filter((t) => {
    if (targetAvailable(t)) return true;
    log(`target ${t} is not available (missing entry point); skipped`);
    return false;
  });
  const machine = {
    nproc: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
  };
  const command = `npm run bench:server -- ${process.argv.slice(2).join(' ')}`.trim();
  const pool = new WorkerPool(o.workers);
  const results: Record<string, Record<string, unknown>> = {};
  const sections: Section[] = [];
  try {
    for (const scenario of o.scenarios) {
      const perTarget: Partial<Record<TargetName, unknown>> = {};
      if (scenario === 'bigboard') {
        log('bigboard: commonboard storage');
        perTarget.commonboard = targets.includes('commonboard')
          ? await runBigBoard(o.bigboardUpdates, log)
          : { skipped: 'skipped: commonboard not among targets' };
      } else {
        for (const t of targets) {
          log(`${scenario}: ${t} ...`);
          try {
            if (scenario === 'load') {
              perTarget[t] = await runLoad(pool, t, {
                ...o,
                cpuProfDir: t === 'commonboard' && o.cpuProf ? resolve(o.cpuProf) : undefined,
              });
            } else if (scenario === 'capacity') perTarget[t] = await runCapacity(pool, t, o, log);
            else if (scenario === 'idle') perTarget[t] = await runIdle(pool, t, o);
            else perTarget[t] = await runJoinStorm(pool, t, o);
          } catch (err) {
            log(`${scenario}: ${t} failed: ${err instanceof Error ? err.message : String(err)}`);
            perTarget[t] = { error: err instanceof Error ? err.message : String(err) };
          }
        }
      }
      results[scenario] = perTarget;
      sections.push(sectionsFor(scenario, o, perTarget));
    }
  } finally {
    await pool.terminate();
    killAllTargets();
  }
  const header =
    `Commonboard server bench ${startedAt}  |  ${command}\n` +
    `machine: ${machine.nproc} cpus (${machine.cpu}), ${machine.memGiB} GiB, node ${machine.node}; ` +
    `generator: ${o.workers} worker threads on the same machine; capacity limit p99 < ${CAPACITY_P99_MS} ms`;
  console.log(renderTable(header, targets, sections));
  const out = resolve(ROOT, o.out);
  mkdirSync(dirname(out), { recursive: true });
  const rev = (() => {
    try {
      return execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
    } catch {
      return 'unknown';
    }
  })();
  writeFileSync(out, JSON.stringify({ command, startedAt, finishedAt: new Date().toISOString(), gitRev: rev, machine, options: o, targets, results, table: sections }, null, 2));
  log(`wrote ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  killAllTargets();
  process.exit(1);
});
