/**
 * The browser's socket class (lib/sync/sync-socket.ts) in Node against real servers: it picks the
 * HTTP fallback when WebSocket upgrades are refused, and its "not yet saved" count
 * (lib/sync/pending-changes.ts) returns to zero only once the server answered after storing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { PendingChanges } from '../../lib/sync/pending-changes';
import { ReconnectPolicy } from '../../lib/sync/reconnect-policy';
import { createSyncSocketClass, type InnerSocketClass, type TransportKind } from '../../lib/sync/sync-socket';
import type { RunningServer } from '../start-server';
import { makeTempDir, startTestServer, testToken, waitFor } from '../testing/helpers';

let refusing: RunningServer;
let normal: RunningServer;
const dirs: ReturnType<typeof makeTempDir>[] = [];
const open: { destroy(): void }[] = [];

/** A provider wired like components/board/local-first.ts does in the browser. */
export function offlineFirstClient(
  url: string,
  boardId: string,
  options: { policy?: ReconnectPolicy; WebSocketImpl?: InnerSocketClass; websocketRetryMs?: number } = {},
) {
  const doc = new Y.Doc();
  const pending = new PendingChanges({ probeDelayMs: 20, probeIntervalMs: 100, groupWithinMs: 0 });
  const state = { transport: null as TransportKind | null };
  const policy = options.policy ?? new ReconnectPolicy({ baseMs: 100, capMs: 500 });
  const SyncSocket = createSyncSocketClass({
    policy,
    pending,
    stateVector: () => Y.encodeStateVector(doc),
    isOnline: () => true,
    onTransport: (kind) => (state.transport = kind),
    WebSocketImpl: options.WebSocketImpl ?? (WebSocket as unknown as InnerSocketClass),
    connectTimeoutMs: 2_000,
    websocketRetryMs: options.websocketRetryMs,
  });
  const provider = new WebsocketProvider(url, boardId, doc, {
    params: { token: testToken(boardId) },
    WebSocketPolyfill: SyncSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 100,
  });
  doc.on('update', (_u: Uint8Array, origin: unknown) => {
    if (origin !== provider) pending.localChange();
  });
  const client = {
    doc,
    provider,
    pending,
    state,
    destroy() {
      provider.destroy();
      pending.dispose();
      doc.destroy();
    },
  };
  open.push(client);
  return client;
}

beforeAll(async () => {
  dirs.push(makeTempDir(), makeTempDir());
  refusing = await startTestServer(dirs[0].dir, { refuseWebSocket: true });
  normal = await startTestServer(dirs[1].dir);
});

afterEach(() => {
  for (const c of open.splice(0)) c.destroy();
});

afterAll(async () => {
  await refusing.close();
  await normal.close();
  for (const d of dirs) d.remove();
});

describe('sync socket', () => {
  it('uses WebSocket when it works and the HTTP fallback when upgrades are refused; pending returns to 0 on both', async () => {
    for (const [server, expected] of [
      [normal, 'websocket'],
      [refusing, 'http'],
    ] as const) {
      const a = offlineFirstClient(server.url, `sock-${expected}`);
      const b = offlineFirstClient(server.url, `sock-${expected}`);
      await waitFor(() => a.provider.synced && b.provider.synced, { what: `synced over ${expected}` });
      expect(a.state.transport).toBe(expected);
      for (let i = 0; i < 20; i++) a.doc.getMap('shapes').set(`s${i}`, i);
      a.doc.getMap('shapes').delete('s3'); // a delete-only change moves no state vector
      expect(a.pending.count).toBe(21);
      await waitFor(() => b.doc.getMap('shapes').size === 19, { what: 'b receives' });
      await waitFor(() => a.pending.count === 0, { what: `pending cleared over ${expected} (now ${a.pending.count})` });
    }
  });

  it('switches back from the fallback to WebSocket on its own once WebSockets work again, losing nothing', async () => {
    const blocked = { now: true };
    // a WebSocket that a "proxy" refuses while blocked.now (the server itself accepts WebSockets)
    class FlakyWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(blocked.now ? url.replace(/^ws:\/\/[^/]+/, 'ws://127.0.0.1:9') : url, protocols);
      }
    }
    const a = offlineFirstClient(normal.url, 'sock-switch', {
      WebSocketImpl: FlakyWebSocket as unknown as InnerSocketClass,
      websocketRetryMs: 200,
    });
    const b = offlineFirstClient(normal.url, 'sock-switch');
    await waitFor(() => a.provider.synced && b.provider.synced, { what: 'synced' });
    expect(a.state.transport).toBe('http');
    a.doc.getMap('shapes').set('over-http', 1);
    blocked.now = false;
    for (let i = 0; i < 50; i++) {
      a.doc.getMap('shapes').set(`during-switch-${i}`, i);
      await new Promise((r) => setTimeout(r, 10));
    }
    await waitFor(() => a.state.transport === 'websocket' && a.provider.synced, { what: 'back on websocket' });
    a.doc.getMap('shapes').set('over-ws', 1);
    await waitFor(() => b.doc.getMap('shapes').size === 52, { what: `b has all 52 (now ${b.doc.getMap('shapes').size})` });
    await waitFor(() => a.pending.count === 0, { what: 'pending cleared' });
  });

  it('after a server restart, many clients come back spread out (jittered backoff), not in one burst', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    let server = await startTestServer(dir.dir, { drainMs: 0 });
    const port = server.port;
    const n = 30;
    const clients = Array.from({ length: n }, () => offlineFirstClient(server.url, 'storm', { policy: new ReconnectPolicy() }));
    await waitFor(() => clients.every((c) => c.provider.synced), { what: 'all synced', timeout: 30_000 });

    const back: number[] = [];
    for (const c of clients) {
      c.provider.on('sync', (synced: boolean) => {
        if (synced) back.push(performance.now());
      });
    }
    await server.close(); // drainMs 0: every socket is closed at the same moment
    const restartedAt = performance.now();
    server = await startTestServer(dir.dir, { port });
    await waitFor(() => back.length === n, { what: `all ${n} back (now ${back.length})`, timeout: 30_000 });
    await server.close();

    const offsets = back.map((t) => t - restartedAt).sort((a, b) => a - b);
    const spread = offsets[n - 1] - offsets[0];
    const busiest50ms = Math.max(...offsets.map((t) => offsets.filter((u) => u >= t && u < t + 50).length));
    console.log(`reconnect arrivals after restart: first ${Math.round(offsets[0])} ms, spread ${Math.round(spread)} ms, at most ${busiest50ms} in any 50 ms`);
    expect(spread).toBeGreaterThan(300);
    expect(busiest50ms).toBeLessThanOrEqual(n / 2);
  });
});
