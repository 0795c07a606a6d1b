/**
 * Deleting a board (the trash) on a real server with stock y-websocket clients on both transports:
 * live connections are closed with 4410 and stop reconnecting, new ones are refused (WebSocket and
 * HTTP fallback), the link API stops resolving its keys (so the app mints no tokens), its content
 * can't be restored or versioned meanwhile; untrash lets everyone back to the same content. A
 * deletion made straight in storage (another server, no message) is enforced by the link sweep.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode } from '../../lib/protocol/close-codes';
import { HttpFallbackSocket } from '../../lib/sync/http-fallback-socket';
import type { RunningServer } from '../start-server';
import { connectClient, makeTempDir, rawClient, testToken, waitFor, type TestClient } from '../testing/helpers';
import type { VersionStore } from '../persistence/versions';
import { callApi, drawShapes, httpBase, shapesOf, startHistoryServer, VERSION_BACKENDS, type VersionBackend } from '../testing/history';
import { openSseStream } from '../testing/sse';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(backend: VersionBackend, linkSweepMs = 60_000): Promise<{ server: RunningServer; store: VersionStore }> {
  const tmp = makeTempDir();
  cleanups.push(tmp.remove);
  const { server, store } = await startHistoryServer(tmp.dir, { linkSweepMs, historySettleMs: 3_600_000 }, backend);
  cleanups.push(() => server.close());
  return { server, store };
}

interface Watched {
  client: TestClient;
  closes: number[];
}

/** A stock provider (WebSocket, or the HTTP fallback) that records its close codes. */
function watched(server: RunningServer, boardId: string, token: string, transport: 'ws' | 'http' = 'ws'): Watched {
  let client: TestClient;
  if (transport === 'ws') client = connectClient(server.url, boardId, new Y.Doc(), { token });
  else {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`${httpBase(server)}/fallback`, boardId, doc, {
      params: { token },
      WebSocketPolyfill: HttpFallbackSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 200,
    });
    client = { doc, provider, destroy: () => (provider.destroy(), doc.destroy()) };
  }
  const closes: number[] = [];
  client.provider.on('connection-close', (event: CloseEvent | null) => {
    if (event) closes.push(event.code);
  });
  cleanups.push(() => client.destroy());
  return { client, closes };
}

async function refusedWith(server: RunningServer, boardId: string): Promise<{ ws: { code: number; reason: string }; http: string }> {
  const raw = rawClient(`${server.url}/${boardId}`);
  raw.ws.on('error', () => undefined);
  const stream = await openSseStream(`${httpBase(server)}/fallback/${boardId}?token=${testToken(boardId)}`, {}, (abort) => cleanups.push(abort));
  await waitFor(() => stream.events.some((e) => e.event === 'close'), { what: 'fallback refusal' });
  return { ws: await raw.closed, http: stream.events.find((e) => e.event === 'close')!.data };
}

describe.each(VERSION_BACKENDS)('trash (versions in %s)', (backend) => {
  it('closes live connections with 4410 on both transports, refuses new ones, hides the links; untrash lets them back', async () => {
    const { server } = await setup(backend);
    const api = (method: string, path: string, body?: unknown) => callApi(httpBase(server), method, path, { body });
    const links = (await api('POST', '/boards/doomed/links')).body as { edit: { key: string; version: number } };
    const editor = watched(server, 'doomed', testToken('doomed', { lv: links.edit.version }));
    const operator = watched(server, 'doomed', testToken('doomed'));
    const viaHttp = watched(server, 'doomed', testToken('doomed'), 'http');
    const bystander = watched(server, 'other-board', testToken('other-board'));
    const all = [editor, operator, viaHttp, bystander];
    await waitFor(() => all.every((w) => w.client.provider.synced), { what: 'all synced' });
    drawShapes(editor.client.doc, 3);
    await waitFor(() => Object.keys(shapesOf(viaHttp.client.doc)).length === 3, { what: 'edits relayed' });
    const content = shapesOf(editor.client.doc);
    const version = (await api('POST', '/boards/doomed/versions', { name: 'Before deletion' })).body as { id: number };

    const before = Date.now();
    const deleted = await api('DELETE', '/boards/doomed');
    expect(deleted.status).toBe(200);
    const { deletedAt } = deleted.body as { deletedAt: number };
    expect(deletedAt).toBeGreaterThanOrEqual(before);
    await waitFor(() => [editor, operator, viaHttp].every((w) => w.closes.includes(CloseCode.BoardDeleted)), { what: '4410 everywhere' });
    await new Promise((r) => setTimeout(r, 500));
    for (const w of [editor, operator, viaHttp]) {
      expect(w.closes).toEqual([CloseCode.BoardDeleted]); // permanent: no reconnect attempts
      expect(w.client.provider.shouldConnect).toBe(false);
    }
    expect(bystander.closes).toEqual([]);

    expect(await refusedWith(server, 'doomed')).toEqual({ ws: { code: CloseCode.BoardDeleted, reason: 'board deleted' }, http: '4410 board deleted' });
    expect(await api('POST', '/boards/doomed/links/resolve', { key: links.edit.key })).toMatchObject({ status: 404, body: { error: 'board deleted' } });
    expect((await api('GET', '/trash')).body).toEqual({ boards: [{ boardId: 'doomed', deletedAt }] });
    // deleting again keeps the first time
    expect((await api('DELETE', '/boards/doomed')).body).toEqual({ deletedAt });
    // its history can be read, not changed
    expect((await api('GET', '/boards/doomed/versions')).status).toBe(200);
    expect(await api('POST', '/boards/doomed/versions', {})).toMatchObject({ status: 409, body: { error: 'board is deleted' } });
    expect(await api('POST', `/boards/doomed/versions/${version.id}/restore`, {})).toMatchObject({ status: 409, body: { error: 'board is deleted' } });

    expect(await api('POST', '/boards/doomed/untrash')).toMatchObject({ status: 200, body: { untrashed: true } });
    expect(await api('POST', '/boards/doomed/untrash')).toMatchObject({ status: 404, body: { error: 'board is not in the trash' } });
    expect((await api('GET', '/trash')).body).toEqual({ boards: [] });
    expect((await api('POST', '/boards/doomed/links/resolve', { key: links.edit.key })).status).toBe(200);
    const back = watched(server, 'doomed', testToken('doomed', { lv: links.edit.version }));
    const backViaHttp = watched(server, 'doomed', testToken('doomed'), 'http');
    await waitFor(() => back.client.provider.synced && backViaHttp.client.provider.synced, { what: 'back in' });
    expect(shapesOf(back.client.doc)).toEqual(content);
    expect(shapesOf(backViaHttp.client.doc)).toEqual(content);
  });

  it('a deletion only storage knows of (another server, message lost) closes connections within the sweep', async () => {
    const sweepMs = 300;
    const { server, store } = await setup(backend, sweepMs);
    const a = watched(server, 'swept-away', testToken('swept-away'));
    const b = watched(server, 'kept', testToken('kept'));
    await waitFor(() => a.client.provider.synced && b.client.provider.synced, { what: 'synced' });
    await store.trashBoard('swept-away');
    const trashedAt = Date.now();
    await waitFor(() => a.closes.length > 0, { timeout: sweepMs * 3 + 2_000, what: 'closed by the sweep' });
    expect(Date.now() - trashedAt).toBeLessThan(sweepMs * 3 + 1_000);
    expect(a.closes).toEqual([CloseCode.BoardDeleted]);
    await new Promise((r) => setTimeout(r, sweepMs * 2));
    expect(b.closes).toEqual([]);
  });
});
