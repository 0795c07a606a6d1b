/**
 * The version history API as scripts and QA teams use it (docs/testing.md, "Version history API"):
 * every route with a link key and with a token, the role each needs, and one hostile request per
 * class (no or bad credentials, another board's token, malformed ids and bodies, cross-site, a
 * missing checkpoint). A restore through the API reaches a connected browser live.
 */
import type { APIRequestContext } from '@playwright/test';
import { mintBoardToken } from '../lib/auth/token';
import { expect, test, type TestBoard } from './fixtures';
import { E2E_AUTH_SECRET } from './fixtures/ports';
import type { BoardPage } from './fixtures/board-page';
import { importJSON } from './canvas-io-helpers';

const keyOf = (link: string) => new URLSearchParams(new URL(link).hash.slice(1)).get('key')!;
const edit = (b: TestBoard) => ({ 'x-board-key': keyOf(b.editUrl) });
const view = (b: TestBoard) => ({ 'x-board-key': keyOf(b.viewUrl) });
const secret = new TextEncoder().encode(E2E_AUTH_SECRET);

async function token(board: string, role: 'editor' | 'viewer', ttl?: number): Promise<string> {
  return (await mintBoardToken(secret, { board, role, name: 'QA script' }, ttl)).token;
}

function rectsFile(xs: number[]): string {
  const shapes = xs.map((x, i) => ({
    id: `r${i}`,
    type: 'rect',
    x,
    y: 40,
    w: 60,
    h: 40,
    rotation: 0,
    index: `a${i}`,
    locked: false,
    createdBy: 'QA',
    style: { stroke: '#1e293b', fill: 'none', strokeWidth: 2, dash: 'solid', opacity: 1, fontSize: 20 },
  }));
  return JSON.stringify({ format: 'commonboard', version: 2, exportedAt: new Date().toISOString(), shapes });
}

async function importRects(user: BoardPage, xs: number[]): Promise<void> {
  const result = await importJSON(user, rectsFile(xs));
  expect(result.ok).toBe(true);
  await user.whenSynced();
}

async function saveVersion(request: APIRequestContext, board: TestBoard, name: string): Promise<number> {
  const res = await request.post(`/api/boards/${board.id}/versions`, { headers: edit(board), data: { name } });
  expect(res.status(), await res.text()).toBe(201);
  const meta = (await res.json()) as { id: number; kind: string; name: string };
  expect(meta).toMatchObject({ kind: 'named', name });
  return meta.id;
}

test('save, list, fetch as a file and restore through the API; a connected browser sees the restore live', async ({ request, board, openUsers }) => {
  const [alice] = await openUsers(1);
  await importRects(alice, [10, 100, 200]);
  const v1 = await saveVersion(request, board, 'three rectangles');

  const list = await request.get(`/api/boards/${board.id}/versions`, { headers: edit(board) });
  expect(list.status()).toBe(200);
  const body = (await list.json()) as { versions: { id: number; shapeCount: number; name: string | null }[]; corrupt: number[] };
  expect(body.corrupt).toEqual([]);
  expect(body.versions.find((v) => v.id === v1)).toMatchObject({ shapeCount: 3, name: 'three rectangles' });

  const file = await request.get(`/api/boards/${board.id}/versions/${v1}`, { headers: view(board) });
  expect(file.status()).toBe(200);
  expect(file.headers()['content-disposition']).toContain('attachment');
  const parsed = (await file.json()) as { format: string; shapes: { x: number }[] };
  expect(parsed.format).toBe('commonboard');
  expect(parsed.shapes.map((s) => s.x).sort((a, b) => a - b)).toEqual([10, 100, 200]);
  const raw = await request.get(`/api/boards/${board.id}/versions/${v1}?format=yjs`, { headers: view(board) });
  expect(raw.headers()['content-type']).toBe('application/octet-stream');
  expect((await raw.body()).byteLength).toBeGreaterThan(100);

  // delete everything in the browser, then restore from a script
  await alice.canvas.click({ position: { x: 600, y: 500 } });
  await alice.page.keyboard.press('Control+a');
  await alice.page.keyboard.press('Delete');
  await expect.poll(async () => (await alice.shapes()).length).toBe(0);
  await alice.whenSynced();

  const restored = await request.post(`/api/boards/${board.id}/versions/${v1}/restore`, {
    headers: { authorization: `Bearer ${await token(board.id, 'editor')}` },
  });
  expect(restored.status(), await restored.text()).toBe(200);
  const result = (await restored.json()) as { added: number; preRestore: { kind: string } };
  expect(result.added).toBe(3);
  expect(result.preRestore.kind).toBe('pre-restore');
  await expect.poll(async () => (await alice.shapes()).length).toBe(3);
});

test('checkpoint and ?reset=checkpoint; 409 without one', async ({ request, board, openUsers }) => {
  const [alice] = await openUsers(1);
  const none = await request.post(`/api/boards/${board.id}?reset=checkpoint`, { headers: edit(board) });
  expect(none.status()).toBe(409);
  await importRects(alice, [10, 100]);
  const v = await saveVersion(request, board, 'demo start');
  const put = await request.put(`/api/boards/${board.id}/checkpoint`, { headers: edit(board), data: { versionId: v } });
  expect(put.status(), await put.text()).toBe(200);
  expect(await put.json()).toEqual({ checkpoint: v });
  await importRects(alice, [300, 400, 500]);
  await expect.poll(async () => (await alice.shapes()).length).toBe(5);
  const reset = await request.post(`/api/boards/${board.id}?reset=checkpoint`, { headers: edit(board) });
  expect(reset.status(), await reset.text()).toBe(200);
  await expect.poll(async () => (await alice.shapes()).length).toBe(2);
  const listed = (await (await request.get(`/api/boards/${board.id}/versions`, { headers: view(board) })).json()) as {
    versions: { id: number; checkpoint: boolean }[];
  };
  expect(listed.versions.filter((x) => x.checkpoint).map((x) => x.id)).toEqual([v]);
});

test('viewers read history but every write is 403; no or bad credentials 401; another board 403', async ({ request, board, createBoard }) => {
  const v = await saveVersion(request, board, 'v');
  const viewerToken = { authorization: `Bearer ${await token(board.id, 'viewer')}` };
  for (const headers of [view(board), viewerToken]) {
    expect((await request.get(`/api/boards/${board.id}/versions`, { headers })).status()).toBe(200);
    const writes = [
      request.post(`/api/boards/${board.id}/versions`, { headers, data: { name: 'x' } }),
      request.post(`/api/boards/${board.id}/versions/${v}/restore`, { headers }),
      request.patch(`/api/boards/${board.id}/versions/${v}`, { headers, data: { name: 'y' } }),
      request.delete(`/api/boards/${board.id}/versions/${v}`, { headers }),
      request.put(`/api/boards/${board.id}/checkpoint`, { headers, data: { versionId: v } }),
      request.post(`/api/boards/${board.id}?reset=checkpoint`, { headers }),
      request.delete(`/api/boards/${board.id}`, { headers }),
    ];
    for (const res of await Promise.all(writes)) expect(res.status(), res.url()).toBe(403);
  }
  const url = `/api/boards/${board.id}/versions`;
  expect((await request.get(url)).status()).toBe(401);
  expect((await request.get(url, { headers: { authorization: 'Bearer not-a-token' } })).status()).toBe(401);
  expect((await request.get(url, { headers: { authorization: `Bearer ${await token(board.id, 'editor', -10)}` } })).status()).toBe(401);
  expect((await request.get(url, { headers: { 'x-board-key': 'short' } })).status()).toBe(401);
  expect((await request.get(url, { headers: { 'x-board-key': 'k'.repeat(32) } })).status()).toBe(403);
  const other = await createBoard();
  expect((await request.get(url, { headers: { authorization: `Bearer ${await token(other.id, 'editor')}` } })).status()).toBe(403);
  expect((await request.get(url, { headers: edit(other) })).status()).toBe(403);
  // a version id of another board is not found here
  const otherV = await saveVersion(request, other, 'other');
  const cross = await request.get(`/api/boards/${board.id}/versions/${otherV + 1000}`, { headers: edit(board) });
  expect(cross.status()).toBe(404);
});

test('malformed ids, bodies and formats get 400/413/415; cross-site 403', async ({ request, board }) => {
  const h = edit(board);
  const v = await saveVersion(request, board, 'v');
  expect((await request.get('/api/boards/bad.id/versions', { headers: h })).status()).toBe(400);
  for (const vid of ['0', '-1', 'abc', '1e3', '99999999999999999']) {
    expect((await request.get(`/api/boards/${board.id}/versions/${vid}`, { headers: h })).status(), vid).toBe(400);
  }
  expect((await request.get(`/api/boards/${board.id}/versions/${v}?format=xml`, { headers: h })).status()).toBe(400);
  expect((await request.get(`/api/boards/${board.id}/versions?limit=0`, { headers: h })).status()).toBe(400);
  expect((await request.get(`/api/boards/${board.id}/versions?before=x`, { headers: h })).status()).toBe(400);
  expect((await request.get(`/api/boards/${board.id}/versions/${v + 5000}`, { headers: h })).status()).toBe(404);
  const post = (data: string, type = 'application/json') =>
    request.post(`/api/boards/${board.id}/versions`, { headers: { ...h, 'content-type': type }, data });
  expect((await post('{"name": 5}')).status()).toBe(400);
  expect((await post('{"name": "a", "extra": 1}')).status()).toBe(400);
  expect((await post('{"kind": "auto"}')).status()).toBe(400);
  expect((await post('not json')).status()).toBe(400);
  expect((await post('{"name":"a"}', 'text/plain')).status()).toBe(415);
  expect((await post(JSON.stringify({ name: 'x'.repeat(20_000) }))).status()).toBe(413);
  const badCheckpoint = await request.put(`/api/boards/${board.id}/checkpoint`, { headers: h, data: { versionId: 'x' } });
  expect(badCheckpoint.status()).toBe(400);
  expect((await request.put(`/api/boards/${board.id}/checkpoint`, { headers: h, data: { versionId: v + 5000 } })).status()).toBe(404);
  expect((await request.post(`/api/boards/${board.id}?reset=everything`, { headers: h })).status()).toBe(400);
  const crossSite = await request.post(`/api/boards/${board.id}/versions/${v}/restore`, { headers: { ...h, 'sec-fetch-site': 'cross-site' } });
  expect(crossSite.status()).toBe(403);
});

test('deleting a board disconnects everyone on it and its links stop working', async ({ request, board, openUsers }) => {
  const [alice] = await openUsers(1);
  const res = await request.delete(`/api/boards/${board.id}`, { headers: edit(board) });
  expect(res.status(), await res.text()).toBe(200);
  expect(typeof ((await res.json()) as { deletedAt: number }).deletedAt).toBe('number');
  await alice.expectStatus('refused');
  const again = await request.get(`/api/boards/${board.id}/versions`, { headers: edit(board) });
  expect(again.status()).toBe(403);
});
