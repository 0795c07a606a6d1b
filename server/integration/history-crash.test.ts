/**
 * kill -9 during a restore (a real server process on SQLite, versions in its real store): killed at
 * a random moment around the restore of a big board, then restarted, the board is EITHER the
 * restored version OR exactly what it was before — never a mix — and whenever it is restored (or
 * the restore got as far as saving the board), the pre-restore version holds the state before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openBoard } from '../../lib/board/board';
import { deleteShapes, moveShapes } from '../../lib/board/ops';
import type { ShapeId } from '../../lib/board/schema';
import type { VersionList, VersionMeta } from '../../lib/history/versions';
import { connectClient, makeTempDir, spawnServer, waitFor, type ChildServer, type TestClient } from '../testing/helpers';
import { callApi, drawShapes, shapesOf, shapesOfState } from '../testing/history';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const SHAPES = 3_000;
const ENV = { HISTORY_SETTLE_MS: '3600000', HISTORY_INTERVAL_MS: '3600000', DRAIN_MS: '0' };
const json = (shapes: Record<string, unknown>) => JSON.stringify(Object.entries(shapes).sort(([a], [b]) => a.localeCompare(b)));
const base = (s: ChildServer) => `http://127.0.0.1:${s.port}`;

async function spawn(dir: string): Promise<ChildServer> {
  const s = await spawnServer(dir, ENV);
  cleanups.push(() => (s.child.exitCode === null && s.child.signalCode === null ? s.child.kill('SIGKILL') : undefined));
  return s;
}

async function open(s: ChildServer, boardId: string): Promise<TestClient> {
  const c = connectClient(s.url, boardId);
  cleanups.push(() => c.destroy());
  await waitFor(() => c.provider.synced, { timeout: 20_000, what: `${boardId} synced` });
  return c;
}

/** A big board, a named version of it, then the board changed a lot; returns both states. */
async function prepare(s: ChildServer, boardId: string): Promise<{ version: VersionMeta; versionShapes: string; before: string }> {
  const writer = await open(s, boardId);
  const watcher = await open(s, boardId);
  const ids = Y.transact(writer.doc, () => drawShapes(writer.doc, SHAPES, 'writer')) as ShapeId[];
  await waitFor(() => watcher.doc.getMap('shapes').size === SHAPES, { timeout: 30_000, what: 'big board relayed' });
  const saved = await callApi(base(s), 'POST', `/boards/${boardId}/versions`, { body: { name: 'Big' } });
  expect(saved.status).toBe(201);
  const version = saved.body as VersionMeta;
  const versionShapes = json(shapesOf(writer.doc));
  const board = openBoard(writer.doc);
  writer.doc.transact(() => {
    deleteShapes(board, ids.slice(0, 1_000));
    moveShapes(board, ids.slice(1_000, 2_000), { x: 7, y: 7 });
    drawShapes(writer.doc, 1_000, 'writer', 50_000);
  });
  await waitFor(() => json(shapesOf(watcher.doc)) === json(shapesOf(writer.doc)), { timeout: 30_000, what: 'changes relayed' });
  const before = json(shapesOf(writer.doc));
  writer.destroy();
  watcher.destroy();
  return { version, versionShapes, before };
}

async function versionsOf(s: ChildServer, boardId: string): Promise<VersionMeta[]> {
  return ((await callApi(base(s), 'GET', `/boards/${boardId}/versions`)).body as VersionList).versions;
}

describe('kill -9 during a restore', () => {
  it('leaves the board restored or untouched, with the pre-restore version whenever it is restored', { timeout: 240_000 }, async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    let server = await spawn(tmp.dir);

    // how long a restore of this board takes here, uninterrupted (and that it works)
    const warm = await prepare(server, 'warm');
    const started = performance.now();
    const res = await callApi(base(server), 'POST', `/boards/warm/versions/${warm.version.id}/restore`, {});
    const restoreMs = performance.now() - started;
    expect(res.status).toBe(200);
    expect(json(shapesOf((await open(server, 'warm')).doc))).toBe(warm.versionShapes);

    const outcomes: string[] = [];
    const ROUNDS = 4;
    for (let round = 0; round < ROUNDS; round++) {
      const boardId = `crash-${round}`;
      const { version, versionShapes, before } = await prepare(server, boardId);
      // one random moment in each quarter of [0, 1.3 x the restore's time]: before, during and just after its writes
      const killAfter = (restoreMs * 1.3 * (round + Math.random())) / ROUNDS;
      const restoring = callApi(base(server), 'POST', `/boards/${boardId}/versions/${version.id}/restore`, {}).catch(() => null);
      await new Promise((r) => setTimeout(r, killAfter));
      process.kill(server.pid, 'SIGKILL');
      await server.exited;
      await restoring;

      server = await spawn(tmp.dir);
      const now = json(shapesOf((await open(server, boardId)).doc));
      const restored = now === versionShapes;
      expect(restored || now === before, `round ${round}: the board is one of the two states`).toBe(true);
      const preRestore = (await versionsOf(server, boardId)).filter((v) => v.kind === 'pre-restore');
      if (restored) expect(preRestore, `round ${round}: restored, so the pre-restore version exists`).toHaveLength(1);
      for (const v of preRestore) {
        const state = await callApi(base(server), 'GET', `/boards/${boardId}/versions/${v.id}/state`);
        expect(json(shapesOfState(state.body as Uint8Array)), `round ${round}: pre-restore version = the board before`).toBe(before);
      }
      outcomes.push(`${Math.round(killAfter)}ms: ${restored ? 'restored' : preRestore.length > 0 ? 'pre-restore saved, not restored' : 'untouched'}`);
    }
    console.info(`restore takes ~${Math.round(restoreMs)} ms; kills: ${outcomes.join('; ')}`);
  });
});
