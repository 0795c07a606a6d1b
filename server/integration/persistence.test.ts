/** Boards survive a graceful restart; many updates + unload compact into a snapshot that loads intact. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStorage } from '../persistence/sqlite';
import { connectClient, makeTempDir, startTestServer, waitFor, type TestClient } from '../testing/helpers';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function track(c: TestClient): TestClient {
  cleanups.push(() => c.destroy());
  return c;
}

describe('persistence', () => {
  it('keeps a board across a graceful restart', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const first = await startTestServer(tmp.dir);
    const a = connectClient(first.url, 'restart-me');
    await waitFor(() => a.provider.synced, { what: 'synced' });
    a.doc.getMap('shapes').set('s1', { kind: 'rect', x: 10 });
    a.doc.getText('note').insert(0, 'survives');
    await waitFor(() => first.registry.isLoaded('restart-me'), { what: 'room loaded' });
    // the server acknowledges nothing, so watch a second client to know the edits arrived
    const b = connectClient(first.url, 'restart-me');
    await waitFor(() => b.doc.getText('note').toString() === 'survives', { what: 'edits relayed' });
    a.destroy();
    b.destroy();
    await first.close();

    const second = await startTestServer(tmp.dir);
    cleanups.push(() => second.close());
    const fresh = track(connectClient(second.url, 'restart-me'));
    await waitFor(() => fresh.provider.synced, { what: 'synced after restart' });
    expect(fresh.doc.getMap('shapes').get('s1')).toEqual({ kind: 'rect', x: 10 });
    expect(fresh.doc.getText('note').toString()).toBe('survives');
  });

  it('compacts many updates into a snapshot on unload and loads from it', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const server = await startTestServer(tmp.dir, { roomIdleMs: 20, compactAfterUpdates: 100_000 });
    cleanups.push(() => server.close());
    const a = connectClient(server.url, 'compact-me');
    const b = connectClient(server.url, 'compact-me');
    await waitFor(() => a.provider.synced && b.provider.synced, { what: 'synced' });
    const N = 600;
    for (let i = 0; i < N; i++) a.doc.getMap('shapes').set(`s${i % 50}`, { x: i, y: -i });
    await waitFor(() => (b.doc.getMap('shapes').get('s49') as { x: number } | undefined)?.x === N - 1, {
      what: 'all updates relayed',
    });
    const expected = b.doc.getMap('shapes').toJSON();
    a.destroy();
    b.destroy();
    await waitFor(() => !server.registry.isLoaded('compact-me'), { what: 'unload' });

    const inspect = new SqliteStorage(join(tmp.dir, 'commonboard.db'));
    const stored = await inspect.load('compact-me');
    await inspect.close();
    expect(stored.snapshot).not.toBeNull();
    expect(stored.updates).toHaveLength(0);
    expect(stored.lastSeq).toBeGreaterThanOrEqual(N);

    const fresh = track(connectClient(server.url, 'compact-me'));
    await waitFor(() => fresh.provider.synced, { what: 'synced from snapshot' });
    expect(fresh.doc.getMap('shapes').toJSON()).toEqual(expected);
  });

  it('compacts while the board is live once the tail passes the threshold', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const server = await startTestServer(tmp.dir, { compactAfterUpdates: 50 });
    cleanups.push(() => server.close());
    const a = track(connectClient(server.url, 'live-compact'));
    const b = track(connectClient(server.url, 'live-compact'));
    await waitFor(() => a.provider.synced && b.provider.synced, { what: 'synced' });
    for (let i = 0; i < 120; i++) a.doc.getArray('log').push([i]);
    await waitFor(() => b.doc.getArray('log').length === 120, { what: 'relayed' });

    const inspect = new SqliteStorage(join(tmp.dir, 'commonboard.db'));
    cleanups.push(() => inspect.close());
    await waitFor(async () => (await inspect.load('live-compact')).snapshot !== null, { what: 'snapshot written' });
    const late = track(connectClient(server.url, 'live-compact'));
    await waitFor(() => late.provider.synced, { what: 'late synced' });
    expect(late.doc.getArray('log').toArray()).toEqual(b.doc.getArray('log').toArray());
  });
});
