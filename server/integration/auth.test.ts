/**
 * Authorization on every connection (real sockets, stock clients): refused tokens get their
 * documented close code, viewers' document writes never reach storage or peers, rotating a share
 * link closes its live connections and retires its key, and the link API needs a service token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mintBoardToken, mintServiceToken } from '../../lib/auth/token';
import { CloseCode } from '../../lib/protocol/close-codes';
import type { RunningServer } from '../start-server';
import {
  connectClient,
  makeTempDir,
  rawClient,
  startTestServer,
  TEST_AUTH_SECRET,
  testToken,
  waitFor,
  type TestClient,
} from '../testing/helpers';

const SECRET = new TextEncoder().encode(TEST_AUTH_SECRET);
let server: RunningServer;
let tmp: ReturnType<typeof makeTempDir>;
const clients: TestClient[] = [];
const track = (c: TestClient) => (clients.push(c), c);
const api = (path: string) => `http://127.0.0.1:${server.port}/api${path}`;

async function callApi(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}): Promise<{ status: number; body: unknown }> {
  const token = init.token === undefined ? await mintServiceToken(SECRET) : init.token;
  const res = await fetch(api(path), {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: await res.json() };
}

type Links = { edit: { key: string; version: number }; view: { key: string; version: number } };

async function closeOf(boardId: string, token: string): Promise<{ code: number; reason: string }> {
  const raw = rawClient(`${server.url}/${boardId}?token=${encodeURIComponent(token)}`);
  raw.ws.on('error', () => undefined);
  return raw.closed;
}

beforeAll(async () => {
  tmp = makeTempDir();
  server = await startTestServer(tmp.dir);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
  tmp.remove();
});

describe('tokens', () => {
  it('refuses a missing token with 4401', async () => {
    expect(await closeOf('no-token', '')).toEqual({ code: CloseCode.Unauthorized, reason: 'token required' });
  });

  it('refuses a token signed with another secret with 4401', async () => {
    const forged = testToken('forged', { secret: 'another-secret-that-is-long-enough-0123456789' });
    expect(await closeOf('forged', forged)).toEqual({ code: CloseCode.Unauthorized, reason: 'invalid token' });
  });

  it('refuses garbage and an expired token with 4401', async () => {
    expect((await closeOf('garbage', 'not.a.jwt')).code).toBe(CloseCode.Unauthorized);
    const expired = testToken('expired', { expiresIn: -5 });
    expect(await closeOf('expired', expired)).toEqual({ code: CloseCode.Unauthorized, reason: 'token expired' });
  });

  it('refuses a token for another board with 4403', async () => {
    expect(await closeOf('board-a', testToken('board-b'))).toEqual({ code: CloseCode.Forbidden, reason: 'token is for another board' });
  });

  it('accepts a token minted by lib/auth (the web app and `npm run token` path)', async () => {
    const { token } = await mintBoardToken(SECRET, { board: 'minted', role: 'editor', name: 'ops' });
    const c = track(connectClient(server.url, 'minted', new Y.Doc(), { token }));
    await waitFor(() => c.provider.synced, { what: 'synced with a minted token' });
  });

  it('a stock y-websocket client stops reconnecting after the refusal', async () => {
    const c = track(connectClient(server.url, 'stock-refused', new Y.Doc(), { token: null }));
    const closes: number[] = [];
    c.provider.on('connection-close', (event) => {
      if (event) closes.push(event.code);
    });
    const closed = new Promise<{ code: number }>((resolve) => c.provider.once('closed', resolve));
    expect((await closed).code).toBe(CloseCode.Unauthorized);
    expect(c.provider.shouldConnect).toBe(false);
    expect(c.provider.ws).toBeNull();
    expect(closes).toEqual([CloseCode.Unauthorized]);
  });
});

describe('viewers', () => {
  it('see live edits and awareness; their document writes never reach peers or storage', async () => {
    const board = 'viewer-board';
    const editor = track(connectClient(server.url, board));
    const viewerDoc = new Y.Doc();
    // edited before connecting: the stock client will offer it as sync step 2
    viewerDoc.getMap('m').set('offline', 'from viewer');
    const viewer = track(connectClient(server.url, board, viewerDoc, { token: testToken(board, { role: 'viewer' }) }));
    await waitFor(() => editor.provider.synced && viewer.provider.synced, { what: 'both synced' });

    editor.doc.getMap('m').set('e', 'from editor');
    await waitFor(() => viewer.doc.getMap('m').get('e') === 'from editor', { what: 'editor edit at viewer' });

    viewer.doc.getMap('m').set('v', 'live from viewer');
    // same connection, sent after the edit: once the editor sees this, the edit was handled
    viewer.provider.awareness.setLocalStateField('cursor', { x: 1, y: 2 });
    await waitFor(() => (editor.provider.awareness.getStates().get(viewer.doc.clientID) as { cursor?: unknown } | undefined)?.cursor !== undefined, {
      what: 'viewer cursor at editor',
    });
    editor.provider.awareness.setLocalStateField('cursor', { x: 3, y: 4 });
    await waitFor(() => viewer.provider.awareness.getStates().has(editor.doc.clientID), { what: 'editor cursor at viewer' });
    expect(editor.doc.getMap('m').toJSON()).toEqual({ e: 'from editor' });

    // a third client sees only what the server holds
    const other = track(connectClient(server.url, board));
    await waitFor(() => other.provider.synced, { what: 'third client synced' });
    expect(other.doc.getMap('m').toJSON()).toEqual({ e: 'from editor' });
  });

  it('storage never saw the viewer\'s writes (checked after a restart)', async () => {
    const dir = makeTempDir();
    let s = await startTestServer(dir.dir);
    const board = 'viewer-storage';
    const viewerDoc = new Y.Doc();
    viewerDoc.getMap('m').set('offline', 'x');
    const editor = connectClient(s.url, board);
    const viewer = connectClient(s.url, board, viewerDoc, { token: testToken(board, { role: 'viewer' }) });
    await waitFor(() => editor.provider.synced && viewer.provider.synced, { what: 'synced' });
    viewer.doc.getMap('m').set('live', 'y');
    editor.doc.getMap('m').set('kept', 'z');
    await waitFor(() => viewer.doc.getMap('m').get('kept') === 'z', { what: 'editor edit relayed' });
    viewer.provider.awareness.setLocalStateField('ping', 1);
    await waitFor(() => editor.provider.awareness.getStates().has(viewer.doc.clientID), { what: 'viewer frames handled' });
    editor.destroy();
    viewer.destroy();
    await s.close();

    s = await startTestServer(dir.dir);
    const fresh = connectClient(s.url, board);
    await waitFor(() => fresh.provider.synced, { what: 'fresh synced' });
    expect(fresh.doc.getMap('m').toJSON()).toEqual({ kept: 'z' });
    fresh.destroy();
    await s.close();
    dir.remove();
  });
});

describe('share links', () => {
  it('rotating the edit link closes its live connections with 4401 and retires the old key', async () => {
    const board = 'rotate-me';
    const created = await callApi(`/boards/${board}/links`);
    expect(created.status).toBe(200);
    const links = created.body as Links;
    expect(links.edit.version).toBe(1);
    expect((await callApi(`/boards/${board}/links`)).body).toEqual(links); // idempotent
    expect((await callApi(`/boards/${board}/links/resolve`, { body: { key: links.view.key } })).body).toEqual({ role: 'viewer', kind: 'view', version: 1 });

    const editor = track(connectClient(server.url, board, new Y.Doc(), { token: testToken(board, { role: 'editor', lv: 1 }) }));
    const viewer = track(connectClient(server.url, board, new Y.Doc(), { token: testToken(board, { role: 'viewer', lv: 1 }) }));
    await waitFor(() => editor.provider.synced && viewer.provider.synced, { what: 'link users synced' });
    const editorClosed = new Promise<{ code: number; reason: string }>((resolve) => editor.provider.once('closed', resolve));

    const rotated = await callApi(`/boards/${board}/links/rotate`, { body: { kind: 'edit' } });
    expect(rotated.status).toBe(200);
    const next = rotated.body as Links;
    expect(next.edit.version).toBe(2);
    expect(next.edit.key).not.toBe(links.edit.key);
    expect(next.view).toEqual(links.view);
    expect(await editorClosed).toMatchObject({ code: CloseCode.Unauthorized, reason: 'link rotated' });

    // the view link's users are untouched
    const probe = track(connectClient(server.url, board));
    probe.doc.getMap('m').set('after', 1);
    await waitFor(() => viewer.doc.getMap('m').get('after') === 1, { what: 'viewer still live' });

    expect((await callApi(`/boards/${board}/links/resolve`, { body: { key: links.edit.key } })).status).toBe(404);
    expect((await callApi(`/boards/${board}/links/resolve`, { body: { key: next.edit.key } })).body).toEqual({ role: 'editor', kind: 'edit', version: 2 });
    expect(await closeOf(board, testToken(board, { role: 'editor', lv: 1 }))).toEqual({ code: CloseCode.Unauthorized, reason: 'link rotated' });
    const renewed = track(connectClient(server.url, board, new Y.Doc(), { token: testToken(board, { role: 'editor', lv: 2 }) }));
    await waitFor(() => renewed.provider.synced, { what: 'new link works' });
  });

  it('a link token for a board without links is refused', async () => {
    expect((await closeOf('linkless', testToken('linkless', { lv: 1 }))).code).toBe(CloseCode.Unauthorized);
  });
});

describe('link API', () => {
  it('refuses calls without a valid service token', async () => {
    expect((await callApi('/boards/x/links', { token: null })).status).toBe(401);
    expect((await callApi('/boards/x/links', { token: testToken('x') })).status).toBe(401); // board token: wrong audience
    const forged = await mintServiceToken(new TextEncoder().encode('another-secret-that-is-long-enough-0123456789'));
    expect((await callApi('/boards/x/links', { token: forged })).status).toBe(401);
    expect((await callApi('/boards/x/links', { method: 'GET', token: null })).status).toBe(401);
  });

  it('validates its input', async () => {
    expect((await callApi('/boards/bad%20id/links')).status).toBe(400);
    await callApi('/boards/valid/links');
    expect((await callApi('/boards/valid/links/resolve', { body: { key: 'short' } })).status).toBe(400);
    expect((await callApi('/boards/valid/links/rotate', { body: { kind: 'admin' } })).status).toBe(400);
    expect((await callApi('/boards/valid/links/rotate', { body: { kind: 'view', extra: 1 } })).status).toBe(400);
    expect((await callApi('/boards/never-created/links/rotate', { body: { kind: 'view' } })).status).toBe(404);
    expect((await callApi('/boards/never-created/links', { method: 'GET' })).status).toBe(404);
  });
});
