/**
 * Restore under live collaboration: three real y-websocket clients, a restore through the internal
 * API while two of them keep drawing. All three converge on one document: the version's shapes,
 * exactly as the version had them, plus the shapes the drawers added that reached the server after
 * the restore — every shape drawn once a drawer had seen the restore, none that the pre-restore
 * version holds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openBoard } from '../../lib/board/board';
import { deleteShapes, moveShapes } from '../../lib/board/ops';
import type { ShapeId } from '../../lib/board/schema';
import type { VersionMeta } from '../../lib/history/versions';
import { connectClient, makeTempDir, testToken, waitFor, type TestClient } from '../testing/helpers';
import { callApi, drawShapes, httpBase, shapesOf, shapesOfState, startHistoryServer, VERSION_BACKENDS } from '../testing/history';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const json = (doc: Y.Doc) => JSON.stringify(Object.entries(shapesOf(doc)).sort(([a], [b]) => a.localeCompare(b)));

describe.each(VERSION_BACKENDS)('restore while others draw (versions in %s)', (backend) => {
  it('three clients converge on the version plus what was drawn after it', { timeout: 60_000 }, async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const { server, store } = await startHistoryServer(tmp.dir, { historySettleMs: 200 }, backend);
    cleanups.push(() => server.close());
    const join = (name: string): TestClient => {
      const c = connectClient(server.url, 'live', new Y.Doc(), { token: testToken('live', { name }) });
      cleanups.push(() => c.destroy());
      return c;
    };
    const [presenter, bob, carol] = [join('Presenter'), join('Bob'), join('Carol')];
    await waitFor(() => [presenter, bob, carol].every((c) => c.provider.synced), { what: 'synced' });

    // the version: 5 shapes each
    const kept = [...drawShapes(bob.doc, 5, 'bob'), ...drawShapes(carol.doc, 5, 'carol', 1000)] as ShapeId[];
    await waitFor(() => Object.keys(shapesOf(presenter.doc)).length === 10, { what: 'version content everywhere' });
    await sleep(100);
    const saved = await callApi(httpBase(server), 'POST', '/boards/live/versions', { body: { name: 'Agenda', by: 'Presenter' } });
    const version = saved.body as VersionMeta;
    expect(version).toMatchObject({ shapeCount: 10 });
    const versionShapes = shapesOfState((await store.loadVersionState('live', version.id))!);

    // then the board moves on: more shapes, one of the version's moved, one deleted
    const between = [...drawShapes(bob.doc, 10, 'bob', 2000), ...drawShapes(carol.doc, 10, 'carol', 3000)];
    moveShapes(openBoard(bob.doc), [kept[0]], { x: 50, y: 50 });
    deleteShapes(openBoard(carol.doc), [kept[9]]);
    await waitFor(() => json(presenter.doc) === json(bob.doc) && json(bob.doc) === json(carol.doc), { what: 'moved on everywhere' });

    // two drawers keep drawing through the restore
    const drawn = new Map<TestClient, { id: string; afterSeen: boolean }[]>([
      [bob, []],
      [carol, []],
    ]);
    const seen = (c: TestClient) => !between.some((id) => c.doc.getMap('shapes').has(id));
    let drawing = true;
    const drawers = [bob, carol].map(async (c, n) => {
      for (let i = 0; drawing; i++) {
        const afterSeen = seen(c);
        const [id] = drawShapes(c.doc, 1, n === 0 ? 'bob' : 'carol', 10_000 + n * 5_000 + i * 10);
        drawn.get(c)!.push({ id, afterSeen });
        await sleep(15);
      }
    });
    await sleep(150);
    const restored = await callApi(httpBase(server), 'POST', `/boards/live/versions/${version.id}/restore`, { body: { by: 'Presenter' } });
    expect(restored.status).toBe(200);
    const outcome = restored.body as { preRestore: VersionMeta; added: number; changed: number; removed: number };
    expect(outcome.added).toBe(1);
    expect(outcome.changed).toBe(1);
    expect(outcome.removed).toBeGreaterThanOrEqual(between.length);
    await waitFor(() => seen(bob) && seen(carol), { what: 'drawers saw the restore' });
    await sleep(300);
    drawing = false;
    await Promise.all(drawers);

    await waitFor(() => json(presenter.doc) === json(bob.doc) && json(bob.doc) === json(carol.doc), { timeout: 15_000, what: 'all three converge' });
    const final = shapesOf(presenter.doc);
    // the version's shapes exactly as saved (the moved one back, the deleted one back)
    for (const [id, shape] of Object.entries(versionShapes)) expect(final[id], id).toEqual(shape);
    // everything else is a drawer's shape drawn through the restore
    const preRestore = shapesOfState((await store.loadVersionState('live', outcome.preRestore.id))!);
    const all = [...drawn.values()].flat();
    const extra = Object.keys(final).filter((id) => !(id in versionShapes));
    expect(extra.every((id) => all.some((d) => d.id === id))).toBe(true);
    for (const d of all) {
      if (d.afterSeen) expect(final[d.id], `${d.id} drawn after the restore`).toBeDefined();
      if (d.id in preRestore) expect(final[d.id], `${d.id} saved in the pre-restore version`).toBeUndefined();
    }
    expect(all.filter((d) => d.afterSeen).length).toBeGreaterThan(10);
    expect(all.filter((d) => d.id in preRestore).length).toBeGreaterThan(0);
    // and the server stored exactly that
    const stored = await server.storage.load('live');
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(doc, u);
    expect(json(doc)).toBe(json(presenter.doc));
  });
});
