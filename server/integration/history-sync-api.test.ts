/**
 * The app's server-side client of the history API (lib/auth/sync-history.ts, used by the app's
 * routes) against a real sync server: every function it offers, answers validated against
 * lib/history/versions.ts, the server's 400 / 404 / 409 / 422 passed on with its message, the state
 * as bytes. This pins the contract between the two sides (versions in SQLite's real store).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  createVersion,
  deleteVersion,
  getVersion,
  getVersionState,
  listVersions,
  renameVersion,
  resetToCheckpoint,
  restoreVersion,
  setCheckpoint,
  SyncHistoryError,
  trashBoard,
} from '../../lib/auth/sync-history';
import type { RunningServer } from '../start-server';
import { connectClient, makeTempDir, TEST_AUTH_SECRET, waitFor, type TestClient } from '../testing/helpers';
import { callApi, drawShapes, httpBase, shapesOf, shapesOfState, startHistoryServer } from '../testing/history';

let server: RunningServer;
let tmp: ReturnType<typeof makeTempDir>;
let corrupt: (boardId: string, versionId: number) => void;
let alice: TestClient;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  tmp = makeTempDir();
  ({ server, corrupt } = await startHistoryServer(tmp.dir, { historySettleMs: 3_600_000 }, 'sqlite'));
  for (const key of ['SYNC_HTTP_URL', 'AUTH_SECRET']) saved[key] = process.env[key];
  process.env.SYNC_HTTP_URL = httpBase(server);
  process.env.AUTH_SECRET = TEST_AUTH_SECRET;
  alice = connectClient(server.url, 'app-board');
  await waitFor(() => alice.provider.synced, { what: 'synced' });
});

afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  alice?.destroy();
  await server?.close();
  tmp.remove();
});

async function serverHasAlice(): Promise<void> {
  const shapes = () => JSON.stringify(server.registry.rooms().find((r) => r.boardId === 'app-board')?.doc.getMap('shapes').toJSON());
  await waitFor(() => shapes() === JSON.stringify(shapesOf(alice.doc)), { what: 'server has the edits' });
}

const refusal = (status: number, message?: string) => expect.objectContaining({ status, ...(message === undefined ? {} : { message }) });

describe('lib/auth/sync-history against the sync server', () => {
  it('saves, lists, reads, renames, checkpoints, restores, resets and deletes', async () => {
    drawShapes(alice.doc, 2);
    await serverHasAlice();
    const first = await createVersion('app-board', { kind: 'named', name: 'First', by: 'Alice' });
    expect(first).toMatchObject({ kind: 'named', name: 'First', shapeCount: 2 });
    const firstShapes = shapesOf(alice.doc);
    expect(shapesOfState(await getVersionState('app-board', first.id))).toEqual(firstShapes);
    expect(await getVersion('app-board', first.id)).toEqual({ ...first, bytes: expect.any(Number) });
    await expect(getVersion('app-board', 9_999)).rejects.toEqual(refusal(404, 'no such version'));
    await expect(getVersionState('app-board', 9_999)).rejects.toBeInstanceOf(SyncHistoryError);

    drawShapes(alice.doc, 3);
    await serverHasAlice();
    const second = await createVersion('app-board', { kind: 'pre-restore', by: 'Alice' });
    expect(second).toMatchObject({ kind: 'pre-restore', name: null, added: 3 });
    expect((await listVersions('app-board')).versions.map((v) => v.id)).toEqual([second.id, first.id]);
    expect((await listVersions('app-board', { limit: 1, before: second.id })).versions.map((v) => v.id)).toEqual([first.id]);

    expect(await renameVersion('app-board', second.id, 'Second')).toMatchObject({ name: 'Second', kind: 'named' });
    await expect(renameVersion('app-board', 9_999, 'x')).rejects.toEqual(refusal(404));

    await expect(resetToCheckpoint('app-board', 'Presenter')).rejects.toEqual(refusal(409, 'board has no checkpoint'));
    await expect(setCheckpoint('app-board', 9_999)).rejects.toEqual(refusal(404));
    expect(await setCheckpoint('app-board', first.id)).toEqual({ checkpoint: first.id });
    const reset = await resetToCheckpoint('app-board', 'Presenter');
    expect(reset).toMatchObject({ restored: { id: first.id, checkpoint: true }, removed: 3, preRestore: { kind: 'pre-restore' } });
    await waitFor(() => JSON.stringify(shapesOf(alice.doc)) === JSON.stringify(firstShapes), { what: 'reset at the client' });

    expect(await restoreVersion('app-board', second.id, 'Alice')).toMatchObject({ restored: { id: second.id }, added: 3 });
    await expect(restoreVersion('app-board', 9_999, 'Alice')).rejects.toEqual(refusal(404));

    await deleteVersion('app-board', second.id);
    await expect(deleteVersion('app-board', second.id)).rejects.toEqual(refusal(404));
  });

  it('passes on 422 for a corrupt version and 400 for bad input', async () => {
    const v = await createVersion('app-board', { kind: 'named', name: 'Broken', by: 'Alice' });
    corrupt('app-board', v.id);
    await expect(getVersionState('app-board', v.id)).rejects.toEqual(refusal(422, 'version failed to load'));
    await expect(createVersion('app-board', { kind: 'named', name: 'x'.repeat(500), by: 'Alice' })).rejects.toEqual(refusal(400));
    await expect(listVersions('app-board', { limit: 5_000 })).rejects.toEqual(refusal(400));
  });

  it('trash: deleting returns when, and the board then refuses saves (409)', async () => {
    const other = connectClient(server.url, 'app-trash', new Y.Doc());
    try {
      await waitFor(() => other.provider.synced, { what: 'synced' });
      const { deletedAt } = await trashBoard('app-trash');
      expect((await callApi(httpBase(server), 'GET', '/trash')).body).toEqual({ boards: [{ boardId: 'app-trash', deletedAt }] });
      await expect(createVersion('app-trash', { kind: 'named', by: 'Alice' })).rejects.toEqual(refusal(409, 'board is deleted'));
    } finally {
      other.destroy();
    }
  });
});
