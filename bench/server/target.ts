/**
 * Target servers as child processes: a free loopback port each, readiness via HTTP, CPU/RSS from
 * /proc, and a process-wide registry so every child is killed by pid on exit, Ctrl+C or error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BENCH_AUTH_SECRET } from './tokens';

export const TARGET_NAMES = ['commonboard', 'reference'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export const ROOT = resolve(import.meta.dirname, '../..');
const CLK_TCK = 100; // Linux USER_HZ; `getconf CLK_TCK` says 100 on every x86-64/arm64 kernel we run on

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** Kills every child still alive, by pid. Safe to call repeatedly. */
export function killAllTargets(): void {
  for (const child of live) {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  live.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? res(port) : rej(new Error('no free port'))));
    });
  });
}

export interface TargetOptions {
  /** Commonboard only: reuse this DATA_DIR instead of a fresh temp one (big board). */
  dataDir?: string;
  /** Write a V8 CPU profile into this directory (needs a graceful exit). */
  cpuProfDir?: string;
}

export function targetAvailable(name: TargetName): boolean {
  return name === 'reference'
    ? existsSync(join(ROOT, 'node_modules/@y/websocket-server/src/server.js'))
    : existsSync(join(ROOT, 'server/index.ts'));
}

export class Target {
  private output: string[] = [];

  private constructor(
    readonly name: TargetName,
    readonly child: ChildProcess,
    readonly port: number,
    readonly dataDir: string | null,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 50) this.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  get pid(): number {
    if (!this.child.pid) throw new Error(`${this.name}: no pid`);
    return this.child.pid;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Last lines the server printed; shown when it dies or fails to start. */
  get recentOutput(): string {
    return this.output.join('').split('\n').slice(-15).join('\n');
  }

  static async start(name: TargetName, opts: TargetOptions = {}): Promise<Target> {
    const port = await freePort();
    let dataDir: string | null = null;
    const profArgs = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
    let args: string[];
    const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port) };
    if (name === 'reference') {
      args = [...profArgs, 'node_modules/@y/websocket-server/src/server.js'];
    } else {
      dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'cb-bench-'));
      if (!opts.dataDir) tempDirs.add(dataDir);
      env.DATA_DIR = dataDir;
      env.LOG_LEVEL = 'warn';
      env.AUTH_SECRET = BENCH_AUTH_SECRET;
      // every bench client comes from 127.0.0.1; the per-IP cap is for real deployments
      env.MAX_CONNECTIONS_PER_IP = '1000000';
      env.MAX_PENDING_CONNECTIONS_PER_IP = '1000000'; // a join storm opens all its sockets at once
      args = [...profArgs, '--import', 'tsx', 'server/index.ts'];
    }
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    child.once('exit', () => live.delete(child));
    const target = new Target(name, child, port, dataDir);
    await target.waitReady(name === 'reference' ? '/' : '/healthz');
    return target;
  }

  private async waitReady(path: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (!this.alive) throw new Error(`${this.name} exited during startup:\n${this.recentOutput}`);
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}${path}`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${this.name} not ready on port ${this.port} after 30 s:\n${this.recentOutput}`);
  }

  /** utime + stime of the server process, in seconds. */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    // fields after the ")" that ends the command name; utime/stime are fields 14/15 overall
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  }

  /** VmRSS and VmHWM (peak RSS) in KiB. */
  memory(): { rssKB: number; peakKB: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const field = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKB: field('VmRSS'), peakKB: field('VmHWM') };
  }

  /** SIGTERM, then SIGKILL after `graceMs` (the profile is only written on a clean exit). */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.alive) {
      const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.alive && this.child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    live.delete(this.child);
    if (this.dataDir && tempDirs.has(this.dataDir)) {
      rmSync(this.dataDir, { recursive: true, force: true });
      tempDirs.delete(this.dataDir);
    }
  }
}

/** Samples CPU between two points in time; `percent` is of one core. */
export class CpuWindow {
  private readonly cpu0: number;
  private readonly t0 = performance.now();

  constructor(private readonly target: Target) {
    this.cpu0 = target.cpuSeconds();
  }

  percent(): number {
    const seconds = (performance.now() - this.t0) / 1000;
    return ((this.target.cpuSeconds() - this.cpu0) / seconds) * 100;
  }
}
