/**
 * Processes for the canvas benchmark: the sync server and `next start` (built into NEXT_DIST_DIR,
 * default .next-canvasbench; built here if missing) on free ports with one auth secret and a temp
 * data dir, plus board creation and tokens through the app's public API.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const DIST_DIR = process.env.NEXT_DIST_DIR || '.next-canvasbench';

function freePort(): Promise<number> {
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

export type Stack = { web: string; sync: string; stop: () => void };

export async function startStack(): Promise<Stack> {
  if (!existsSync(path.join(DIST_DIR, 'BUILD_ID'))) {
    console.log(`building the app into ${DIST_DIR} …`);
    const r = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], {
      stdio: 'inherit',
      env: { ...process.env, NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (r.status !== 0) throw new Error('next build failed');
  }
  const [webPort, syncPort] = [await freePort(), await freePort()];
  const shared = {
    AUTH_SECRET: randomBytes(32).toString('hex'),
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'commonboard-bench-canvas-')),
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const sync = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    // the seed is one multi-megabyte sync message: lift the per-connection byte rate limit
    env: { ...process.env, ...shared, PORT: String(syncPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn', RATE_LIMIT_BYTES_PER_SEC: String(1024 ** 3) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const web = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(webPort), '-H', '127.0.0.1'], {
    env: { ...process.env, ...shared, NEXT_DIST_DIR: DIST_DIR, SYNC_URL: `ws://127.0.0.1:${syncPort}` },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  for (const [name, child] of [['sync', sync], ['web', web]] as const) {
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  }
  const stop = () => {
    for (const c of [web, sync]) if (c.exitCode === null) c.kill('SIGTERM');
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
  return { web: `http://127.0.0.1:${webPort}`, sync: `ws://127.0.0.1:${syncPort}`, stop };
}

export type BenchBoard = { id: string; path: string; key: string };

export async function createBoard(web: string): Promise<BenchBoard> {
  const res = await fetch(`${web}/api/boards`, { method: 'POST' });
  if (res.status !== 201) throw new Error(`POST /api/boards: HTTP ${res.status}`);
  const body = (await res.json()) as { boardId: string; editUrl: string };
  const url = new URL(body.editUrl, web);
  const key = url.searchParams.get('key');
  if (!key) throw new Error('edit link has no key');
  return { id: body.boardId, path: url.pathname + url.search, key };
}

export async function tokenFor(web: string, board: BenchBoard, name: string): Promise<string> {
  const res = await fetch(`${web}/api/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ boardId: board.id, key: board.key, name }),
  });
  if (res.status !== 200) throw new Error(`token: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}
