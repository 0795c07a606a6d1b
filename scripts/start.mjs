// `npm start`: builds the web app, then runs it next to the sync server, both on embedded defaults
// (web on :3000, sync on :1234, data in ./data). Ctrl+C stops both; the sync server flushes to disk first.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const dev = process.argv.includes('--dev');
const webPort = process.env.WEB_PORT ?? '3000';
const webHost = process.env.WEB_HOST ?? '127.0.0.1';
const syncPort = process.env.PORT ?? '1234';
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
// The browser derives ws://<page host>:1234 by itself; only a non-default port needs telling.
if (!env.SYNC_URL && syncPort !== '1234') env.SYNC_URL = `ws://${webHost}:${syncPort}`;

const next = 'node_modules/next/dist/bin/next';
if (!existsSync(next)) {
  console.error('Dependencies are missing: run `npm install` first.');
  process.exit(1);
}
if (!dev && process.env.SKIP_BUILD !== '1') {
  const build = spawnSync(process.execPath, [next, 'build'], { stdio: 'inherit', env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const children = [
  spawn(process.execPath, [...(dev ? ['--watch'] : []), '--import', 'tsx', 'server/index.ts'], {
    stdio: 'inherit',
    env: { ...env, PORT: syncPort },
  }),
  spawn(process.execPath, [next, dev ? 'dev' : 'start', '-p', webPort, '-H', webHost], { stdio: 'inherit', env }),
];
console.log(`Commonboard: app http://${webHost}:${webPort}  sync ws://${env.HOST ?? '127.0.0.1'}:${syncPort}`);

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
for (const child of children) {
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`a Commonboard process exited (code ${code}); stopping the other`);
      process.exitCode = code || 1;
    }
    stop('SIGTERM');
  });
}
