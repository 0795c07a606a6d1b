/** Real child processes: no loss across kill -9 (THE PROMISE), graceful SIGTERM, bad env. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, makeTempDir, spawnServer, waitFor, type ChildServer, type TestClient } from '../testing/helpers';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});
function track<T extends TestClient>(c: T): T {
  cleanups.push(() => c.destroy());
  return c;
}
function trackChild(s: ChildServer): ChildServer {
  cleanups.push(async () => {
    if (s.child.exitCode === null && s.child.signalCode === null) {
      s.child.kill('SIGKILL');
      await s.exited;
    }
  });
  return s;
}

describe('server process', () => {
  it('loses nothing another client has seen when killed with SIGKILL', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const first = trackChild(await spawnServer(tmp.dir));
    const a = track(connectClient(first.url, 'crash-board'));
    const b = track(connectClient(first.url, 'crash-board'));
    await waitFor(() => a.provider.synced && b.provider.synced, { what: 'synced' });

    const N = 200;
    for (let i = 0; i < N; i++) {
      a.doc.getMap('shapes').set(`shape-${i}`, { x: i, y: i * 2 });
      if (i % 20 === 0) a.doc.getText('note').insert(a.doc.getText('note').length, `${i};`);
    }
    await waitFor(() => b.doc.getMap('shapes').size === N, { what: 'B observed every edit' });
    const seenByB = b.doc.getMap('shapes').toJSON();
    const noteSeenByB = b.doc.getText('note').toString();

    process.kill(first.pid, 'SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    a.destroy();
    b.destroy();

    const second = trackChild(await spawnServer(tmp.dir));
    const fresh = track(connectClient(second.url, 'crash-board'));
    await waitFor(() => fresh.provider.synced, { what: 'synced after crash' });
    expect(fresh.doc.getMap('shapes').toJSON()).toEqual(seenByB);
    expect(fresh.doc.getText('note').toString()).toBe(noteSeenByB);
  });

  it('on SIGTERM closes clients with 1012, flushes and exits 0', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const first = trackChild(await spawnServer(tmp.dir));
    const a = track(connectClient(first.url, 'term-board'));
    const b = track(connectClient(first.url, 'term-board'));
    const codes: number[] = [];
    a.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) codes.push(event.code);
    });
    await waitFor(() => a.provider.synced && b.provider.synced, { what: 'synced' });
    b.doc.getMap('m').set('k', 'v');
    await waitFor(() => a.doc.getMap('m').get('k') === 'v', { what: 'relayed' });

    process.kill(first.pid, 'SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    await waitFor(() => codes.length > 0, { what: 'close event' });
    expect(codes[0]).toBe(1012);
    const log = first.logLines.map((l) => JSON.parse(l) as { msg: string });
    expect(log.some((l) => l.msg === 'board compacted')).toBe(true);
    expect(log.at(-1)?.msg).toBe('shut down');
    a.destroy();
    b.destroy();

    const second = trackChild(await spawnServer(tmp.dir));
    const fresh = track(connectClient(second.url, 'term-board'));
    await waitFor(() => fresh.provider.synced, { what: 'synced after restart' });
    expect(fresh.doc.getMap('m').get('k')).toBe('v');
  });

  it('exits 1 with one clear line on a bad env value', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      cwd: resolve(import.meta.dirname, '../..'),
      env: { ...process.env, PORT: 'eighty', MAX_MESSAGE_BYTES: '10' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'Invalid configuration: PORT="eighty": must be a whole number; MAX_MESSAGE_BYTES="10": Too small: expected number to be >=1024',
    ]);
  });
});
