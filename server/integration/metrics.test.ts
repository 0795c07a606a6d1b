/** /metrics (Prometheus text), /readyz and /healthz on a live server with real clients. */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { SqliteStorage } from '../persistence/sqlite';
import type { Storage } from '../persistence/storage';
import { startServer } from '../start-server';
import { rawSocket } from '../testing/healthy-pair';
import { connectClient, makeTempDir, startTestServer, testConfig, waitFor } from '../testing/helpers';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Parses `name{labels} value` lines into a lookup by the full series text. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe('metrics', () => {
  it('exposes connections, boards, traffic by type, latencies, rejects, errors and loop lag', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const server = await startTestServer(tmp.dir, { drainMs: 0 });
    cleanups.push(() => server.close());
    const base = `http://127.0.0.1:${server.port}`;
    const a = connectClient(server.url, 'metered');
    const b = connectClient(server.url, 'metered');
    cleanups.push(() => a.destroy(), () => b.destroy());
    await waitFor(() => a.provider.synced && b.provider.synced, { what: 'synced' });
    a.doc.getMap('m').set('k', 1);
    await waitFor(() => b.doc.getMap('m').get('k') === 1, { what: 'relayed' });
    const bad = rawSocket(`${server.url}/bad%20id`);
    await bad.closed;
    const junk = rawSocket(`${server.url}/metered`);
    await junk.opened;
    junk.ws.send(new Uint8Array([9]));
    await junk.closed;

    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const m = parse(await res.text());
    expect(m.get('commonboard_connections')).toBe(2);
    expect(m.get('commonboard_boards_loaded')).toBe(1);
    expect(m.get('commonboard_messages_in_total{type="sync_update"}')).toBeGreaterThanOrEqual(1);
    expect(m.get('commonboard_bytes_in_total{type="sync_update"}')).toBeGreaterThan(0);
    expect(m.get('commonboard_messages_out_total{type="sync_update"}')).toBeGreaterThanOrEqual(1);
    expect(m.get('commonboard_messages_in_total{type="awareness"}')).toBeGreaterThanOrEqual(2);
    expect(m.get('commonboard_messages_in_total{type="unknown"}')).toBe(1);
    expect(m.get('commonboard_update_apply_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(m.get('commonboard_update_persist_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(m.get('commonboard_broadcast_latency_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(m.get('commonboard_rejected_connections_total{reason="invalid_board_id"}')).toBe(1);
    expect(m.get('commonboard_errors_total{kind="malformed"}')).toBe(1);
    expect(m.has('commonboard_reconnections_total')).toBe(true);
    expect(m.has('commonboard_event_loop_lag_seconds{quantile="0.99"}')).toBe(true);

    // a reconnecting client (same awareness id) is counted
    a.provider.awareness.setLocalStateField('user', { name: 'a' });
    await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), { what: 'a presence' });
    a.provider.disconnect();
    await waitFor(() => server.connectionCount() === 1, { what: 'a gone' });
    a.provider.connect();
    await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID) && a.provider.synced, { what: 'a back' });
    const after = parse(await (await fetch(`${base}/metrics`)).text());
    expect(after.get('commonboard_reconnections_total')).toBe(1);
  });
});

describe('health and readiness', () => {
  it('/readyz is 200 when storage answers, 503 when it fails; /healthz stays 200', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    let storageDown = false;
    class FlakyStorage extends SqliteStorage {
      override load(id: string) {
        return storageDown ? Promise.reject(new Error('disk gone')) : super.load(id);
      }
    }
    const storage: Storage = new FlakyStorage(`${tmp.dir}/db.sqlite`);
    const config = testConfig(tmp.dir, { drainMs: 0 });
    const server = await startServer(config, { logger: createLogger('silent'), storage });
    cleanups.push(() => server.close());
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    storageDown = true;
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(((await down.json()) as { status: string }).status).toBe('storage-unavailable');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    storageDown = false;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('rejects non-GET methods with 405 and overlong targets with 414', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const server = await startTestServer(tmp.dir, { drainMs: 0 });
    cleanups.push(() => server.close());
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/healthz`, { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await fetch(`${base}/healthz?${'q'.repeat(3000)}`)).status).toBe(414);
  });
});
