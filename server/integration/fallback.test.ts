/**
 * The HTTP fallback transport (server/transport/http-fallback.ts) with real HTTP requests: a stock
 * y-websocket provider whose socket class is the fallback client (lib/sync/http-fallback-socket.ts)
 * collaborates with a WebSocket client on the same room; token, Origin, size and viewer rules hold
 * as on the WebSocket path; WebSocket upgrades are refused with the test flag.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { encodeFrameBatch, fromBase64 } from '../../lib/sync/frames';
import { HttpFallbackSocket } from '../../lib/sync/http-fallback-socket';
import { ConfigError, loadConfig as load } from '../config';
import { encodeSyncUpdate } from '../protocol/messages';
import type { RunningServer } from '../start-server';
import { connectClient, makeTempDir, startTestServer, testToken, waitFor, type TestClient } from '../testing/helpers';
import { openSseStream } from '../testing/sse';

let server: RunningServer;
let refusing: RunningServer;
let tmp: ReturnType<typeof makeTempDir>;
let tmp2: ReturnType<typeof makeTempDir>;
const cleanup: (() => void)[] = [];
const APP_ORIGIN = 'http://app.example';

// Next's types make NODE_ENV required on ProcessEnv; a plain record is what the server reads
const loadConfig = (vars: Record<string, string>) => load(vars as NodeJS.ProcessEnv);
const httpBase = (s: RunningServer) => `http://127.0.0.1:${s.port}`;

/** A stock provider that talks to the server only through the HTTP fallback. */
function fallbackClient(s: RunningServer, boardId: string, role: 'editor' | 'viewer' = 'editor'): TestClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${httpBase(s)}/fallback`, boardId, doc, {
    params: { token: testToken(boardId, { role }) },
    WebSocketPolyfill: HttpFallbackSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  const client = {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
  cleanup.push(() => client.destroy());
  return client;
}

/** Opens a fallback stream by hand and collects its events. */
function openStream(s: RunningServer, path: string, headers: Record<string, string> = {}) {
  return openSseStream(`${httpBase(s)}${path}`, headers, (abort) => cleanup.push(abort));
}

beforeAll(async () => {
  tmp = makeTempDir();
  tmp2 = makeTempDir();
  server = await startTestServer(tmp.dir, { allowedOrigins: [APP_ORIGIN] });
  refusing = await startTestServer(tmp2.dir, { refuseWebSocket: true });
});

afterAll(async () => {
  for (const fn of cleanup.splice(0)) fn();
  await server.close();
  await refusing.close();
  tmp.remove();
  tmp2.remove();
});

describe('HTTP fallback transport', () => {
  it('a fallback client and a WebSocket client edit the same board and see each other', async () => {
    const viaHttp = fallbackClient(server, 'fb-collab');
    const viaWs = connectClient(server.url, 'fb-collab');
    cleanup.push(() => viaWs.destroy());
    await waitFor(() => viaHttp.provider.synced && viaWs.provider.synced, { what: 'both synced' });
    expect(server.connectionCount()).toBe(2); // /healthz and the connections gauge count both transports

    viaHttp.doc.getMap('shapes').set('from-http', { x: 1 });
    viaWs.doc.getMap('shapes').set('from-ws', { x: 2 });
    viaHttp.doc.getText('t').insert(0, 'hello ');
    await waitFor(
      () => viaHttp.doc.getMap('shapes').size === 2 && viaWs.doc.getMap('shapes').size === 2 && viaWs.doc.getText('t').toString() === 'hello ',
      { what: 'converged' },
    );

    // presence travels both ways too
    viaHttp.provider.awareness.setLocalState({ user: { name: 'Http' } });
    viaWs.provider.awareness.setLocalState({ user: { name: 'Ws' } });
    const names = (c: TestClient) =>
      [...c.provider.awareness.getStates().values()].map((s) => (s as { user?: { name?: string } }).user?.name).sort();
    await waitFor(() => names(viaHttp).join() === 'Http,Ws' && names(viaWs).join() === 'Http,Ws', { what: 'awareness both ways' });
  });

  it('REFUSE_WEBSOCKET is a 0/1 flag, off by default', () => {
    expect(loadConfig({}).refuseWebSocket).toBe(false);
    expect(loadConfig({ REFUSE_WEBSOCKET: '1' }).refuseWebSocket).toBe(true);
    expect(() => loadConfig({ REFUSE_WEBSOCKET: 'yes' })).toThrow(ConfigError);
  });

  it('with WebSocket upgrades refused, two clients still collaborate through the fallback', async () => {
    const blocked = new WebSocket(`${refusing.url}/fb-refused?token=${testToken('fb-refused')}`);
    const outcome = await new Promise<string>((resolve) => {
      blocked.once('open', () => resolve('open'));
      blocked.once('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
      blocked.once('error', (err) => resolve(`error ${err.message}`));
    });
    expect(outcome).toBe('http 403');

    const a = fallbackClient(refusing, 'fb-refused');
    const b = fallbackClient(refusing, 'fb-refused');
    await waitFor(() => a.provider.synced && b.provider.synced, { what: 'synced over http' });
    a.doc.getMap('shapes').set('a', 1);
    b.doc.getMap('shapes').set('b', 2);
    await waitFor(() => a.doc.getMap('shapes').size === 2 && b.doc.getMap('shapes').size === 2, { what: 'converged over http' });
  });

  it('refuses a missing or foreign token with the WebSocket close codes, inside the stream', async () => {
    const none = await openStream(server, '/fallback/fb-auth');
    expect(none.res.status).toBe(200);
    await waitFor(() => none.events.some((e) => e.event === 'close'), { what: 'close event' });
    expect(none.events.find((e) => e.event === 'close')?.data).toMatch(/^4401 /);

    const other = await openStream(server, `/fallback/fb-auth?token=${testToken('another-board')}`);
    await waitFor(() => other.events.some((e) => e.event === 'close'), { what: 'close event' });
    expect(other.events.find((e) => e.event === 'close')?.data).toMatch(/^4403 /);
    expect(other.events.some((e) => e.event === 'open')).toBe(false);
  });

  it('applies the Origin allow-list and answers CORS for the app origin only', async () => {
    const token = testToken('fb-origin');
    const bad = await fetch(`${httpBase(server)}/fallback/fb-origin?token=${token}`, { headers: { origin: 'http://evil.example' } });
    expect(bad.status).toBe(403);
    await bad.body?.cancel();

    const preflight = await fetch(`${httpBase(server)}/fallback/fb-origin/x`, {
      method: 'OPTIONS',
      headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');

    const good = await openStream(server, `/fallback/fb-origin?token=${token}`, { origin: APP_ORIGIN });
    expect(good.res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    await waitFor(() => good.events.some((e) => e.event === 'open'), { what: 'open event' });
    good.abort();
  });

  it('closes a session that sends an oversize frame (4413) or a broken body (4422); unknown sessions get 404', async () => {
    const dir = makeTempDir();
    const small = await startTestServer(dir.dir, { maxMessageBytes: 2048 });
    cleanup.push(() => void small.close().then(dir.remove));
    const token = testToken('fb-size');
    const stream = await openStream(small, `/fallback/fb-size?token=${token}`);
    await waitFor(() => stream.events.some((e) => e.event === 'open'), { what: 'open event' });
    const sessionId = stream.events.find((e) => e.event === 'open')!.data;
    const post = (body: Uint8Array, session = sessionId) =>
      fetch(`${httpBase(small)}/fallback/fb-size/${session}`, { method: 'POST', body: body as Uint8Array<ArrayBuffer> });

    expect((await post(encodeFrameBatch([new Uint8Array(10)]), 'no-such-session')).status).toBe(404);
    const big = encodeSyncUpdate(new Uint8Array(3000));
    const res = await post(encodeFrameBatch([big]));
    expect(res.status).toBe(400); // the framing refuses a frame over the limit before anything is decoded
    await waitFor(() => stream.events.some((e) => e.event === 'close'), { what: 'close event' });
    expect(stream.events.find((e) => e.event === 'close')?.data).toMatch(/^4422 /);

    const again = await openStream(small, `/fallback/fb-size?token=${token}`);
    await waitFor(() => again.events.some((e) => e.event === 'open'), { what: 'open event' });
    const id2 = again.events.find((e) => e.event === 'open')!.data;
    const huge = new Uint8Array(5000); // body over 2 x the frame limit
    expect((await post(huge, id2)).status).toBe(413);
    await waitFor(() => again.events.some((e) => e.event === 'close'), { what: 'close event' });
    expect(again.events.find((e) => e.event === 'close')?.data).toMatch(/^4413 /);
  });

  it("drops a viewer's document writes and still relays its presence", async () => {
    const editor = connectClient(server.url, 'fb-viewer');
    cleanup.push(() => editor.destroy());
    const viewer = fallbackClient(server, 'fb-viewer', 'viewer');
    await waitFor(() => editor.provider.synced && viewer.provider.synced, { what: 'synced' });
    viewer.doc.getMap('shapes').set('sneaky', 1);
    viewer.provider.awareness.setLocalState({ user: { name: 'Viewer' } });
    editor.doc.getMap('shapes').set('real', 1);
    await waitFor(() => viewer.doc.getMap('shapes').has('real'), { what: 'viewer receives' });
    await waitFor(() => [...editor.provider.awareness.getStates().keys()].includes(viewer.doc.clientID), { what: 'viewer presence' });
    // a fresh client sees what the server stored: the editor's shape only
    const fresh = connectClient(server.url, 'fb-viewer');
    cleanup.push(() => fresh.destroy());
    await waitFor(() => fresh.provider.synced && fresh.doc.getMap('shapes').has('real'), { what: 'fresh synced' });
    expect(fresh.doc.getMap('shapes').has('sneaky')).toBe(false);
  });

  it('sends the empty awareness frame down idle streams (the client watchdog needs a message every < 30 s)', async () => {
    const dir = makeTempDir();
    const quick = await startTestServer(dir.dir, { heartbeatTickMs: 50, idleFrameAfterMs: 100 });
    cleanup.push(() => void quick.close().then(dir.remove));
    const stream = await openStream(quick, `/fallback/fb-idle?token=${testToken('fb-idle')}`);
    await waitFor(() => stream.events.filter((e) => e.event === 'message').length >= 2, { what: 'frames' });
    const start = stream.events.length;
    await waitFor(
      () =>
        stream.events
          .slice(start)
          .some((e) => e.event === 'message' && fromBase64(e.data).join() === '1,1,0'),
      { what: 'heartbeat frame' },
    );
  });
});
