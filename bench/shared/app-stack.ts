/**
 * The processes a browser benchmark needs: the sync server (`node --import tsx server/index.ts`) and
 * `next start` from its own dist dir (built here if missing), on free loopback ports, sharing one auth
 * secret and a temporary DATA_DIR; plus board creation and tokens through the app's public API.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { keyOfLink } from '../../lib/auth/link-key';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitUp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}`);
    const res = await fetch(url).catch(() => null); // not listening yet
    if (res && res.status < 500) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

export type StackOptions = {
  /** Next dist dir for this benchmark (`next build` rewrites tsconfig.json when it is not `.next`). */
  distDir: string;
  /** Names the temp data dir and nothing else. */
  name: string;
  /** Extra sync-server env, e.g. lifted limits for synthetic load. */
  syncEnv?: Record<string, string>;
};

export type Stack = {
  web: string;
  sync: string;
  secret: string;
  /** The sync server's JSON log lines. */
  syncLog: string;
  stop: () => void;
};

/** A port from the environment (parallel runs on one machine pin theirs), else a free one. */
async function portFrom(env: string | undefined): Promise<number> {
  const port = Number(env);
  if (env === undefined || env === '') return freePort();
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) throw new Error(`invalid port: ${env}`);
  return port;
}

/**
 * BENCH_DIST_DIR, BENCH_WEB_PORT and BENCH_SYNC_PORT override the dist dir and the (otherwise free)
 * ports, so several benchmarks or builds can share one machine without colliding.
 */
export async function startStack({ distDir: defaultDistDir, name, syncEnv = {} }: StackOptions): Promise<Stack> {
  const distDir = process.env.BENCH_DIST_DIR || defaultDistDir;
  if (!existsSync(path.join(distDir, 'BUILD_ID'))) {
    console.log(`building the app into ${distDir} …`);
    const r = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], {
      stdio: 'inherit',
      env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (r.status !== 0) throw new Error('next build failed');
  }
  const [webPort, syncPort] = [await portFrom(process.env.BENCH_WEB_PORT), await portFrom(process.env.BENCH_SYNC_PORT)];
  const dataDir = mkdtempSync(path.join(tmpdir(), `commonboard-bench-${name}-`));
  const secret = randomBytes(32).toString('hex');
  const shared = { AUTH_SECRET: secret, DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1' };
  const sync = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: { ...process.env, ...shared, PORT: String(syncPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...syncEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const syncLog = path.join(dataDir, 'sync.log');
  sync.stdout?.pipe(createWriteStream(syncLog));
  const web = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(webPort), '-H', '127.0.0.1'], {
    env: { ...process.env, ...shared, NEXT_DIST_DIR: distDir, SYNC_URL: `ws://127.0.0.1:${syncPort}` },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // piped, not inherited: a child that outlives us must not hold our stderr open
  for (const [label, child] of [['sync', sync], ['web', web]] as const) {
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${label}] ${chunk.toString()}`));
  }
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const c of [web, sync]) if (c.exitCode === null) c.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop();
      process.exit(130);
    });
  }
  try {
    await waitUp(`http://127.0.0.1:${syncPort}/healthz`, sync, 30_000);
    await waitUp(`http://127.0.0.1:${webPort}/`, web, 60_000);
  } catch (err) {
    stop();
    throw err;
  }
  return { web: `http://127.0.0.1:${webPort}`, sync: `ws://127.0.0.1:${syncPort}`, secret, syncLog, stop };
}

export type BenchBoard = { id: string; path: string; key: string };

/** A new board through POST /api/boards; `path` is its edit link. */
export async function createBoard(web: string): Promise<BenchBoard> {
  const res = await fetch(`${web}/api/boards`, { method: 'POST' });
  if (res.status !== 201) throw new Error(`POST /api/boards: HTTP ${res.status}`);
  const body = (await res.json()) as { boardId: string; editUrl: string };
  const key = keyOfLink(body.editUrl);
  if (!key) throw new Error('edit link has no key');
  // the legacy `?key=` form (still accepted) so callers can append `&name=…`
  return { id: body.boardId, path: `/b/${encodeURIComponent(body.boardId)}?key=${key}`, key };
}

/** A sync token for a scripted peer on `board`. */
export async function tokenFor(web: string, board: BenchBoard, name: string): Promise<string> {
  const res = await fetch(`${web}/api/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ boardId: board.id, key: board.key, name }),
  });
  if (res.status !== 200) throw new Error(`token: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}
