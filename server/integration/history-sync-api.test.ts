/**
 * The app's server-side client of the history API (lib/auth/sync-api.ts) against a real sync
 * server: every function, answers validated against lib/history/versions.ts, 404s as null/false,
 * the server's 409 and 422 passed on with its message, the state as bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  createVersion,
  deleteVersion,
  getVersion,
  getVersionState,
  listTrash,
  listVersions,
  renameVersion,
  resetToCheckpoint,
  restoreVersion,
  setCheckpoint,
  SyncApiError,
  trashBoard,
  untrashBoard,
} from '../../lib/auth/sync-api';
import type { RunningServer } from '../start-server';
import { connectClient, makeTempDir, TEST_AUTH_SECRET, waitFor, type TestClient } from '../testing/helpers';
import { drawShapes, httpBase, shapesOf, shapesOfState, startHistoryServer } from '../testing/history';
import { MemoryVersionStore } from '../testing/memory-version-store';

let server: RunningServer;
let tmp: ReturnType<typeof makeTempDir>;
const store = new MemoryVersionStore();
let alice: TestClient;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  tmp = makeTempDir();
  ({ server } = await startHistoryServer(tmp.dir, { historySettleMs: 3_600_000 }, store));
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

describe('lib/auth/sync-api history client', () => {
  it('saves, lists, reads, renames, checkpoints, restores, resets and deletes', async () => {
    drawShapes(alice.doc, 2);
    await serverHasAlice();
    const first = await createVersion('app-board', { name: 'First', by: 'Alice' });
    expect(first).toMatchObject({ kind: 'named', name: 'First', shapeCount: 2 });
    const firstShapes = shapesOf(alice.doc);
    expect(shapesOfState((await getVersionState('app-board', first.id))!)).toEqual(firstShapes);
    expect(await getVersion('app-board', first.id)).toEqual(first);
    expect(await getVersion('app-board', 9_999)).toBeNull();
    expect(await getVersionState('app-board', 9_999)).toBeNull();

    drawShapes(alice.doc, 3);
    await serverHasAlice();
    const second = await createVersion('app-board');
    expect((await listVersions('app-board')).versions.map((v) => v.id)).toEqual([second.id, first.id]);
    expect((await listVersions('app-board', { limit: 1, before: second.id })).versions.map((v) => v.id)).toEqual([first.id]);

    expect(await renameVersion('app-board', second.id, 'Second')).toMatchObject({ name: 'Second' });
    expect(await renameVersion('app-board', 9_999, 'x')).toBeNull();

    await expect(resetToCheckpoint('app-board')).rejects.toMatchObject({ status: 409, message: 'board has no checkpoint' });
    expect(await setCheckpoint('app-board', 9_999)).toBe(false);
    expect(await setCheckpoint('app-board', first.id)).toBe(true);
    const reset = await resetToCheckpoint('app-board', 'Presenter');
    expect(reset).toMatchObject({ restored: { id: first.id, checkpoint: true }, removed: 3, preRestore: { kind: 'pre-restore' } });
    await waitFor(() => JSON.stringify(shapesOf(alice.doc)) === JSON.stringify(firstShapes), { what: 'reset at the client' });

    const restored = await restoreVersion('app-board', second.id);
    expect(restored).toMatchObject({ restored: { id: second.id }, added: 3 });
    expect(await restoreVersion('app-board', 9_999)).toBeNull();

    expect(await deleteVersion('app-board', second.id)).toBe(true);
    expect(await deleteVersion('app-board', second.id)).toBe(false);
  });

  it('passes on 422 for a corrupt version and 400 for bad input', async () => {
    const v = await createVersion('app-board', { name: 'Broken' });
    store.corrupt('app-board', v.id);
    const err = await getVersionState('app-board', v.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncApiError);
    expect(err).toMatchObject({ status: 422, message: 'version failed to load' });
    await expect(createVersion('app-board', { name: 'x'.repeat(500) })).rejects.toMatchObject({ status: 400 });
    await expect(listVersions('app-board', { limit: 5_000 })).rejects.toMatchObject({ status: 400 });
  });

  it('trash: delete, list, untrash', async () => {
    const other = connectClient(server.url, 'app-trash', new Y.Doc());
    try {
      await waitFor(() => other.provider.synced, { what: 'synced' });
      const deletedAt = await trashBoard('app-trash');
      expect(await listTrash()).toEqual([{ boardId: 'app-trash', deletedAt }]);
      await expect(createVersion('app-trash')).rejects.toMatchObject({ status: 409, message: 'board is deleted' });
      expect(await untrashBoard('app-trash')).toBe(true);
      expect(await untrashBoard('app-trash')).toBe(false);
      expect(await listTrash()).toEqual([]);
    } finally {
      other.destroy();
    }
  });
});
