/**
 * Processes for the notes benchmark: the sync server (`node --import tsx server/index.ts`, temp
 * DATA_DIR) and `next start` built into its own dist dir, on free ports, sharing one auth secret.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const DIST_DIR = process.env.NOTES_BENCH_DIST_DIR || '.next-notes';

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

async function waitFor(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}`);
    const up = await fetch(url).then((r) => r.status < 500, () => false);
    if (up) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

export type Stack = { web: string; sync: string; secret: string; stop: () => void };

export async function startStack(): Promise<Stack> {
  if (!existsSync(path.join(DIST_DIR, 'BUILD_ID'))) {
    console.log(`building the app into ${DIST_DIR} (next build rewrites tsconfig.json: \`git checkout tsconfig.json\` afterwards) …`);
    const r = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], {
      stdio: 'inherit',
      env: { ...process.env, NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (r.status !== 0) throw new Error('next build failed');
  }
  const [webPort, syncPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'commonboard-bench-notes-'));
  const secret = randomBytes(32).toString('hex');
  const shared = { AUTH_SECRET: secret, DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1' };
  const sync = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: { ...process.env, ...shared, PORT: String(syncPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const web = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(webPort), '-H', '127.0.0.1'], {
    env: { ...process.env, ...shared, NEXT_DIST_DIR: DIST_DIR, SYNC_URL: `ws://127.0.0.1:${syncPort}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = () => {
    for (const c of [web, sync]) if (c.exitCode === null) c.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor(`http://127.0.0.1:${syncPort}/healthz`, sync, 30_000);
    await waitFor(`http://127.0.0.1:${webPort}/`, web, 60_000);
  } catch (err) {
    stop();
    throw err;
  }
  return { web: `http://127.0.0.1:${webPort}`, sync: `ws://127.0.0.1:${syncPort}`, secret, stop };
}
