/**
 * The internal version-history and trash API on a real server, with real y-websocket clients on the
 * boards it acts on: every route's answers, and hostile input on every route (no service token,
 * bad board and version ids, non-JSON, oversized and unexpected bodies, wrong methods, a version
 * of another board, storage without versions). Versions in the in-memory double and in SQLite.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mintServiceToken } from '../../lib/auth/token';
import { versionListSchema, versionMetaSchema, type VersionMeta } from '../../lib/history/versions';
import { createLogger } from '../logger';
import { DB_FILE } from '../persistence/data-dir';
import { SqliteStorage } from '../persistence/sqlite';
import type { Storage } from '../persistence/storage';
import { startServer, type RunningServer } from '../start-server';
import { connectClient, makeTempDir, testConfig, testToken, waitFor, type TestClient } from '../testing/helpers';
import type { VersionStore } from '../persistence/versions';
import { callApi, drawShapes, httpBase, SECRET, shapesOf, shapesOfState, startHistoryServer, VERSION_BACKENDS } from '../testing/history';

const ROUTES: [method: string, path: string, body?: unknown][] = [
  ['GET', '/boards/b/versions'],
  ['POST', '/boards/b/versions', { name: 'x' }],
  ['GET', '/boards/b/versions/1'],
  ['GET', '/boards/b/versions/1/state'],
  ['PATCH', '/boards/b/versions/1', { name: 'x' }],
  ['DELETE', '/boards/b/versions/1'],
  ['POST', '/boards/b/versions/1/restore', {}],
  ['PUT', '/boards/b/checkpoint', { versionId: 1 }],
  ['POST', '/boards/b/reset', {}],
  ['DELETE', '/boards/b'],
  ['POST', '/boards/b/untrash'],
  ['GET', '/trash'],
];

describe.each(VERSION_BACKENDS)('versions in %s', (backend) => {
  let server: RunningServer;
  let store: VersionStore;
  let corrupt: (boardId: string, versionId: number) => void;
  let tmp: ReturnType<typeof makeTempDir>;
  let clients: TestClient[] = [];

  const api = (method: string, path: string, options: Parameters<typeof callApi>[3] = {}) => callApi(httpBase(server), method, path, options);

  async function client(boardId: string, name = 'Alice'): Promise<TestClient> {
    const c = connectClient(server.url, boardId, new Y.Doc(), { token: testToken(boardId, { name }) });
    clients.push(c);
    await waitFor(() => c.provider.synced, { what: `${name} synced on ${boardId}` });
    return c;
  }

  /** Until the server's copy of the board has what `c` has (the API and the socket are different connections). */
  async function serverHas(boardId: string, c: TestClient): Promise<void> {
    const shapes = () => JSON.stringify(server.registry.rooms().find((r) => r.boardId === boardId)?.doc.getMap('shapes').toJSON());
    await waitFor(() => shapes() === JSON.stringify(shapesOf(c.doc)), { what: `server has ${boardId}` });
  }

  async function named(boardId: string, name: string): Promise<VersionMeta> {
    const res = await api('POST', `/boards/${boardId}/versions`, { body: { name } });
    expect(res.status).toBe(201);
    return versionMetaSchema.parse(res.body);
  }

  beforeAll(async () => {
    tmp = makeTempDir();
    // automatic versions out of the way (only the API makes versions here); boards unload quickly
    ({ server, store, corrupt } = await startHistoryServer(tmp.dir, { historySettleMs: 3_600_000, historyIntervalMs: 3_600_000, roomIdleMs: 100 }, backend));
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    clients = [];
    await server?.close();
    tmp.remove();
  });

  describe('versions', () => {
    it('save, list, read, rename, checkpoint, delete', async () => {
      const alice = await client('crud');
      drawShapes(alice.doc, 3);
      await serverHas('crud', alice);
      const v1 = await named('crud', 'First');
      expect(v1).toMatchObject({ kind: 'named', name: 'First', editors: ['Alice'], added: 3, shapeCount: 3, checkpoint: false });
      drawShapes(alice.doc, 1);
      await serverHas('crud', alice);
      expect(await api('POST', '/boards/crud/versions', { body: { kind: 'pre-restore' } })).toMatchObject({ status: 201, body: { added: 1 } });
      const listed = versionListSchema.parse((await api('GET', '/boards/crud/versions')).body);
      expect(listed.versions.map((v) => v.id)).toEqual([listed.versions[0].id, v1.id]);
      expect(listed.versions[0]).toMatchObject({ kind: 'pre-restore', name: null });
      expect(listed.corrupt).toEqual([]);

      // a version's stored bytes may shrink once a newer one exists (the store's business): the rest is fixed
      expect((await api('GET', `/boards/crud/versions/${v1.id}`)).body).toEqual({ ...v1, bytes: expect.any(Number) });
      const state = await api('GET', `/boards/crud/versions/${v1.id}/state`);
      expect(state.status).toBe(200);
      expect(state.headers.get('content-type')).toBe('application/octet-stream');
      expect(Object.keys(shapesOfState(state.body as Uint8Array))).toHaveLength(3);

      const renamed = await api('PATCH', `/boards/crud/versions/${listed.versions[0].id}`, { body: { name: '  Kept  ' } });
      expect(renamed.body).toMatchObject({ name: 'Kept', kind: 'named' });
      expect((await api('PATCH', `/boards/crud/versions/${v1.id}`, { body: { name: null } })).body).toMatchObject({ id: v1.id, name: null });

      expect(await api('PUT', '/boards/crud/checkpoint', { body: { versionId: v1.id } })).toMatchObject({ status: 200, body: { checkpoint: v1.id } });
      expect((await api('GET', `/boards/crud/versions/${v1.id}`)).body).toMatchObject({ checkpoint: true });
      expect(await api('PUT', '/boards/crud/checkpoint', { body: { versionId: null } })).toMatchObject({ status: 200, body: { checkpoint: null } });
      expect(await api('PUT', '/boards/crud/checkpoint', { body: { versionId: 999_999 } })).toMatchObject({ status: 404 });

      expect(await api('DELETE', `/boards/crud/versions/${v1.id}`)).toMatchObject({ status: 200, body: { deleted: true } });
      expect(await api('GET', `/boards/crud/versions/${v1.id}`)).toMatchObject({ status: 404, body: { error: 'no such version' } });
      expect(await api('DELETE', `/boards/crud/versions/${v1.id}`)).toMatchObject({ status: 404 });
      expect(await api('GET', `/boards/crud/versions/${v1.id}/state`)).toMatchObject({ status: 404 });
    });

    it('lists newest first, pages with limit and before', async () => {
      await client('paged');
      const made: number[] = [];
      for (let i = 0; i < 5; i++) made.push((await named('paged', `v${i}`)).id);
      const page = async (query: string) => versionListSchema.parse((await api('GET', `/boards/paged/versions${query}`)).body).versions.map((v) => v.id);
      expect(await page('')).toEqual([...made].reverse());
      expect(await page('?limit=2')).toEqual([made[4], made[3]]);
      expect(await page(`?limit=2&before=${made[3]}`)).toEqual([made[2], made[1]]);
      expect(await page(`?before=${made[0]}`)).toEqual([]);
      expect(await page('?limit=1000')).toHaveLength(5);
    });

    it('saves a version of a board nobody has open (loads it)', async () => {
      const alice = await client('closed-board');
      drawShapes(alice.doc, 2);
      const shapes = shapesOf(alice.doc);
      await serverHas('closed-board', alice);
      alice.destroy();
      await waitFor(() => !server.registry.isLoaded('closed-board'), { what: 'board unloaded' });
      const v = await named('closed-board', 'From storage');
      expect(shapesOfState((await store.loadVersionState('closed-board', v.id))!)).toEqual(shapes);
    });

    it('restore: pre-restore version first, then the board equals the version at every client', async () => {
      const alice = await client('restore', 'Alice');
      const bob = await client('restore', 'Bob');
      drawShapes(alice.doc, 3);
      await serverHas('restore', alice);
      const target = await named('restore', 'Clean slate');
      const targetShapes = shapesOf(alice.doc);
      drawShapes(bob.doc, 2);
      alice.doc.getMap('shapes').delete(Object.keys(targetShapes)[0]);
      await waitFor(() => JSON.stringify(shapesOf(alice.doc)) === JSON.stringify(shapesOf(bob.doc)), { what: 'clients agree' });
      const before = shapesOf(bob.doc);
      await serverHas('restore', bob);

      const res = await api('POST', `/boards/restore/versions/${target.id}/restore`, { body: { by: 'Carol' } });
      expect(res.status).toBe(200);
      const body = res.body as { restored: VersionMeta; preRestore: VersionMeta; added: number; changed: number; removed: number };
      expect(body.restored).toEqual({ ...target, bytes: expect.any(Number) });
      expect(body.preRestore).toMatchObject({ kind: 'pre-restore', name: 'Before restoring "Clean slate"' });
      expect(body.preRestore.id).toBeGreaterThan(target.id);
      expect({ added: body.added, changed: body.changed, removed: body.removed }).toEqual({ added: 1, changed: 0, removed: 2 });
      expect(shapesOfState((await store.loadVersionState('restore', body.preRestore.id))!)).toEqual(before);
      await waitFor(() => [alice, bob].every((c) => JSON.stringify(shapesOf(c.doc)) === JSON.stringify(targetShapes)), { what: 'restored everywhere' });

      // restoring again changes nothing but still saves the state before it
      const again = await api('POST', `/boards/restore/versions/${target.id}/restore`, { rawBody: '' });
      expect(again.body).toMatchObject({ added: 0, changed: 0, removed: 0, preRestore: { kind: 'pre-restore' } });
    });

    it('reset restores the checkpoint; 409 without one', async () => {
      const alice = await client('demo');
      expect(await api('POST', '/boards/demo/reset', {})).toMatchObject({ status: 409, body: { error: 'board has no checkpoint' } });
      drawShapes(alice.doc, 2);
      await serverHas('demo', alice);
      const start = await named('demo', 'Demo start');
      const startShapes = shapesOf(alice.doc);
      await api('PUT', '/boards/demo/checkpoint', { body: { versionId: start.id } });
      drawShapes(alice.doc, 4);
      await serverHas('demo', alice);
      const reset = await api('POST', '/boards/demo/reset', { body: { by: 'presenter' } });
      expect(reset).toMatchObject({ status: 200, body: { restored: { id: start.id, checkpoint: true }, removed: 4 } });
      await waitFor(() => JSON.stringify(shapesOf(alice.doc)) === JSON.stringify(startShapes), { what: 'demo reset' });
    });

    it('a corrupt version: 422 for its state and its restore, listed as corrupt', async () => {
      await client('rotten');
      const v = await named('rotten', 'Rotten');
      corrupt('rotten', v.id);
      expect(await api('GET', `/boards/rotten/versions/${v.id}/state`)).toMatchObject({ status: 422, body: { error: 'version failed to load' } });
      expect(await api('POST', `/boards/rotten/versions/${v.id}/restore`, {})).toMatchObject({ status: 422, body: { error: 'version failed to load' } });
      expect((await api('GET', '/boards/rotten/versions')).body).toMatchObject({ corrupt: [v.id] });
      // the refused restore saved nothing and changed nothing
      expect(await store.listVersions('rotten')).toHaveLength(1);
    });
  });

  describe('hostile input', () => {

    it('every route needs the service token (401), a board token is not one', async () => {
      const boardToken = testToken('b');
      for (const [method, path, body] of ROUTES) {
        expect(await api(method, path, { body, token: null }), `${method} ${path}`).toMatchObject({ status: 401, body: { error: 'service token required' } });
        expect((await api(method, path, { body, token: boardToken })).status, `${method} ${path}`).toBe(401);
      }
    });

    it('a bad board id is a 400 on every board route', async () => {
      for (const [method, path, body] of ROUTES.filter(([, p]) => p.startsWith('/boards/'))) {
        for (const bad of ['bad.id', '%E0%A4%A', 'a'.repeat(200)]) {
          const res = await api(method, path.replace('/boards/b', `/boards/${bad}`), { body });
          expect(res, `${method} ${path} ${bad}`).toMatchObject({ status: 400, body: { error: 'invalid board id' } });
        }
      }
    });

    it('a bad version id is a 400 on every version route', async () => {
      for (const [method, path, body] of ROUTES.filter(([, p]) => p.includes('/versions/1'))) {
        for (const bad of ['0', '01', '-1', '1.5', 'abc', '1e3', '12345678901234567', '9999999999999999']) {
          const res = await api(method, path.replace('/versions/1', `/versions/${bad}`), { body });
          expect(res, `${method} ${path} ${bad}`).toMatchObject({ status: 400, body: { error: 'invalid version id' } });
        }
      }
    });

    it('a version of another board is a 404', async () => {
      await client('mine');
      const theirs = await named('mine', 'Mine');
      for (const [method, path, body] of ROUTES.filter(([, p]) => p.includes('/versions/1'))) {
        const res = await api(method, path.replace('/boards/b', '/boards/not-mine').replace('/versions/1', `/versions/${theirs.id}`), { body });
        expect(res.status, `${method} ${path}`).toBe(404);
      }
      expect(await api('PUT', '/boards/not-mine/checkpoint', { body: { versionId: theirs.id } })).toMatchObject({ status: 404 });
      expect(await store.listVersions('not-mine')).toEqual([]);
      expect(await store.getVersion('mine', theirs.id)).toMatchObject({ name: 'Mine', checkpoint: false });
    });

    it('bodies: non-JSON, over 4 KiB, unknown fields and wrong types are refused before anything happens', async () => {
      const withBody = ROUTES.filter(([, , body]) => body !== undefined);
      for (const [method, path] of withBody) {
        expect(await api(method, path, { rawBody: '{not json' }), `${method} ${path}`).toMatchObject({ status: 400, body: { error: 'body must be JSON' } });
        expect(await api(method, path, { rawBody: JSON.stringify({ name: 'x'.repeat(5000) }) }), `${method} ${path}`).toMatchObject({
          status: 413,
          body: { error: 'body too large' },
        });
        expect((await api(method, path, { body: { unexpected: true } })).status, `${method} ${path}`).toBe(400);
        expect((await api(method, path, { body: [] })).status, `${method} ${path}`).toBe(400);
      }
      const bad: [string, string, unknown][] = [
        ['POST', '/boards/b/versions', { name: '' }],
        ['POST', '/boards/b/versions', { name: 'x'.repeat(101) }],
        ['POST', '/boards/b/versions', { kind: 'auto' }],
        ['POST', '/boards/b/versions', { by: 7 }],
        ['PATCH', '/boards/b/versions/1', {}],
        ['PATCH', '/boards/b/versions/1', { name: '   ' }],
        ['PUT', '/boards/b/checkpoint', { versionId: '1' }],
        ['PUT', '/boards/b/checkpoint', { versionId: 0 }],
        ['PUT', '/boards/b/checkpoint', { versionId: 1.5 }],
        ['PUT', '/boards/b/checkpoint', {}],
        ['POST', '/boards/b/reset', { by: 'x'.repeat(65) }],
      ];
      for (const [method, path, body] of bad) expect((await api(method, path, { body })).status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(await store.listVersions('b')).toEqual([]);
    });

    it('query: limit 1-1000, before a version id, nothing else, nothing twice', async () => {
      for (const query of ['limit=0', 'limit=1001', 'limit=abc', 'before=0', 'before=x', 'offset=3', 'limit=1&limit=2', 'before=99999999999999999']) {
        expect((await api('GET', `/boards/b/versions?${query}`)).status, query).toBe(400);
      }
    });

    it('wrong methods are 405 with Allow', async () => {
      const wrong: [string, string, string][] = [
        ['PUT', '/boards/b/versions', 'GET, POST'],
        ['POST', '/boards/b/versions/1', 'GET, PATCH, DELETE'],
        ['POST', '/boards/b/versions/1/state', 'GET'],
        ['GET', '/boards/b/versions/1/restore', 'POST'],
        ['GET', '/boards/b/checkpoint', 'PUT'],
        ['GET', '/boards/b/reset', 'POST'],
        ['GET', '/boards/b', 'DELETE'],
        ['GET', '/boards/b/untrash', 'POST'],
        ['DELETE', '/trash', 'GET'],
      ];
      for (const [method, path, allow] of wrong) {
        const res = await api(method, path);
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow);
      }
    });

    it('unknown paths under a board are 404, the link routes still answer', async () => {
      expect((await api('GET', '/boards/b/checkpoint/1')).status).toBe(404);
      expect((await api('GET', '/boards/b/versions/1/other')).status).toBe(404);
      expect((await api('GET', '/boards/b/history')).status).toBe(404);
      expect((await api('POST', '/boards/b/links')).status).toBe(200);
    });

  });
});

describe('storage without versions', () => {
  it('storage without versions answers 501 on every route', async () => {
    const dir = makeTempDir();
    const sqlite = new SqliteStorage(join(dir.dir, DB_FILE));
    // whatever SQLite offers, this server sees a plain board Storage
    const plain: Storage = {
      load: (id) => sqlite.load(id),
      appendUpdates: (id, u) => sqlite.appendUpdates(id, u),
      compact: (id, s, seq) => sqlite.compact(id, s, seq),
      getBoardLinks: (id) => sqlite.getBoardLinks(id),
      createBoardLinks: (id, keys) => sqlite.createBoardLinks(id, keys),
      rotateBoardLink: (id, kind, key) => sqlite.rotateBoardLink(id, kind, key),
      close: () => sqlite.close(),
    };
    const bare = await startServer(testConfig(dir.dir, { drainMs: 0 }), { logger: createLogger('silent'), storage: plain, authSecret: SECRET });
    try {
      for (const [method, path, body] of ROUTES) {
        const res = await callApi(httpBase(bare), method, path, { body });
        expect(res.status, `${method} ${path}`).toBe(501);
      }
      const token = await mintServiceToken(SECRET);
      expect((await fetch(`${httpBase(bare)}/api/boards/b/versions`)).status).toBe(401);
      expect((await fetch(`${httpBase(bare)}/api/boards/b/links`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await bare.close();
      dir.remove();
    }
  });
});
