/**
 * Processes for the presence benchmark: our sync server and `next start` (built into
 * .next-presence) on free ports, sharing one auth secret and data dir, plus board creation.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const DIST_DIR = '.next-presence';

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

async function waitFor(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

export type Stack = { web: string; sync: string; syncLog: string; stop: () => void };

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
  const dataDir = mkdtempSync(path.join(tmpdir(), 'commonboard-bench-presence-'));
  const shared = { AUTH_SECRET: randomBytes(32).toString('hex'), DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1' };
  const sync = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: { ...process.env, ...shared, PORT: String(syncPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn', MAX_CONNECTIONS_PER_IP: '1000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const syncLog = path.join(dataDir, 'sync.log');
  sync.stdout?.pipe(createWriteStream(syncLog));
  const web = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(webPort), '-H', '127.0.0.1'], {
    env: { ...process.env, ...shared, NEXT_DIST_DIR: DIST_DIR, SYNC_URL: `ws://127.0.0.1:${syncPort}` },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // piped, not inherited: a child that outlives us must not hold our stderr open
  for (const [name, child] of [['sync', sync], ['web', web]] as const) {
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  }
  const stop = () => {
    for (const c of [web, sync]) if (c.exitCode === null) c.kill('SIGTERM');
  };
  process.once('exit', stop);
  try {
    await waitFor(`http://127.0.0.1:${syncPort}/healthz`, sync, 30_000);
    await waitFor(`http://127.0.0.1:${webPort}/`, web, 60_000);
  } catch (err) {
    stop();
    throw err;
  }
  return { web: `http://127.0.0.1:${webPort}`, sync: `ws://127.0.0.1:${syncPort}`, syncLog, stop };
}

export type BenchBoard = { id: string; path: string; key: string | null };

/** A new board: through POST /api/boards when the app has share links, else a random /b/<id>. */
export async function createBoard(web: string): Promise<BenchBoard> {
  const res = await fetch(`${web}/api/boards`, { method: 'POST' }).catch(() => null);
  if (res && res.status === 201) {
    const body = (await res.json()) as { boardId: string; editUrl: string };
    const url = new URL(body.editUrl, web);
    return { id: body.boardId, path: url.pathname + url.search, key: url.searchParams.get('key') };
  }
  const id = `bench-presence-${randomBytes(6).toString('hex')}`;
  return { id, path: `/b/${id}`, key: null };
}

/** A sync token for scripted peers (null when the app has no auth). */
export async function tokenFor(web: string, board: BenchBoard, name: string): Promise<string | null> {
  if (!board.key) return null;
  const res = await fetch(`${web}/api/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ boardId: board.id, key: board.key, name }),
  });
  if (res.status !== 200) throw new Error(`token: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}
