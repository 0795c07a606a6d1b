/**
 * Shutdown drain: 1012 closes spread over DRAIN_MS (clients reconnect without jitter, so closing
 * them all at once would bring them all back at once), /readyz 503 meanwhile, nothing lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../start-server';
import { connectClient, makeTempDir, spawnServer, startTestServer, waitFor, type TestClient } from '../testing/helpers';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface Watched {
  client: TestClient;
  firstCloseAt: number | null;
  firstCode: number | null;
}

function watch(url: string, board: string): Watched {
  const client = connectClient(url, board);
  cleanups.push(() => client.destroy());
  const w: Watched = { client, firstCloseAt: null, firstCode: null };
  client.provider.on('connection-close', (e: CloseEvent | null) => {
    if (!e || w.firstCode !== null) return;
    w.firstCode = e.code;
    w.firstCloseAt = performance.now();
  });
  return w;
}

describe('drain', () => {
  it('spreads 1012 closes over DRAIN_MS, reports not-ready meanwhile, and keeps every edit', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const DRAIN_MS = 1500;
    const server: RunningServer = await startTestServer(tmp.dir, { drainMs: DRAIN_MS });
    const watched = Array.from({ length: 8 }, (_, i) => watch(server.url, i % 2 === 0 ? 'drain-a' : 'drain-b'));
    await waitFor(() => watched.every((w) => w.client.provider.synced), { what: 'all synced' });
    watched.forEach((w, i) => w.client.doc.getMap('m').set(`k${i}`, i));
    await waitFor(
      () => watched.every((w) => w.client.doc.getMap('m').size === 4),
      { what: 'edits relayed on both boards' },
    );

    const readyz = `http://127.0.0.1:${server.port}/readyz`;
    expect((await fetch(readyz)).status).toBe(200);
    const closing = server.close();
    await waitFor(async () => (await fetch(readyz)).status === 503, { what: 'readyz 503 while draining' });
    await closing;

    expect(watched.map((w) => w.firstCode)).toEqual(Array(8).fill(1012));
    const times = watched.map((w) => w.firstCloseAt!).sort((a, b) => a - b);
    // closes are spaced DRAIN_MS / 8 apart: the last comes ~7/8 of the window after the first
    expect(times.at(-1)! - times[0]).toBeGreaterThanOrEqual(DRAIN_MS / 2);

    for (const w of watched) w.client.destroy();
    const again = await startTestServer(tmp.dir, { drainMs: 0 });
    cleanups.push(() => again.close());
    const freshA = connectClient(again.url, 'drain-a');
    const freshB = connectClient(again.url, 'drain-b');
    cleanups.push(() => freshA.destroy(), () => freshB.destroy());
    await waitFor(() => freshA.provider.synced && freshB.provider.synced, { what: 'reloaded' });
    expect(freshA.doc.getMap('m').toJSON()).toEqual({ k0: 0, k2: 2, k4: 4, k6: 6 });
    expect(freshB.doc.getMap('m').toJSON()).toEqual({ k1: 1, k3: 3, k5: 5, k7: 7 });
  });

  it('a SIGTERMed process drains its clients with 1012 and exits 0', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const child = await spawnServer(tmp.dir, { DRAIN_MS: '800' });
    cleanups.push(async () => {
      if (child.child.exitCode === null && child.child.signalCode === null) {
        child.child.kill('SIGKILL');
        await child.exited;
      }
    });
    const watched = Array.from({ length: 4 }, () => watch(child.url, 'term-drain'));
    await waitFor(() => watched.every((w) => w.client.provider.synced), { what: 'all synced' });
    process.kill(child.pid, 'SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(watched.map((w) => w.firstCode)).toEqual([1012, 1012, 1012, 1012]);
    const log = child.logLines.map((l) => JSON.parse(l) as { msg: string; connections?: number });
    expect(log.find((l) => l.msg === 'draining connections')?.connections).toBe(4);
  });
});
