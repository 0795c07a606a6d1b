/**
 * The history actions against a fake app API and a stand-in for the canvas (which mounts an editor
 * on whatever board the history store says is shown), with the real editor and session stores.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addShape, deleteShapes, encodeBoardState, getShape, listShapes, openBoard, type Board, type ShapeId } from '@/lib/board';
import type { VersionMeta } from '@/lib/history/versions';
import { useUiStore } from '@/lib/ui/ui-store';
import { testEditor } from '../editor/test-editor';
import type { Editor } from '../editor/types';
import { BoardApiError } from '../session/board-api';
import { useBoardSession } from '../session/board-session';
import * as api from './history-api';
import { backToLive, bringBack, confirmReset, prepareReset, resetHistory, restoreViewed, viewVersion, whenSaved } from './history-actions';
import { useHistoryStore } from './history-store';

vi.mock('./history-api', async (original) => ({
  ...(await original<typeof import('./history-api')>()),
  listVersions: vi.fn(),
  createVersion: vi.fn(),
  loadVersionState: vi.fn(),
  setCheckpoint: vi.fn(),
}));
const mocked = vi.mocked(api);

const meta = (id: number, extra: Partial<VersionMeta> = {}): VersionMeta => ({
  id,
  createdAt: Date.UTC(2026, 11, 4, 13, id),
  kind: 'auto',
  name: null,
  editors: ['Alice'],
  added: 1,
  changed: 0,
  removed: 0,
  shapeCount: 1,
  bytes: 100,
  checkpoint: false,
  ...extra,
});

let live: Board;
let mounted: Editor | null = null;
let stopCanvas: () => void = () => {};
const calls: string[] = [];

/** Does what BoardView + BoardCanvas do: one editor, on the version shown or else the live board. */
function fakeCanvas(): () => void {
  const mount = () => {
    const board = useHistoryStore.getState().viewing?.board ?? live;
    if (mounted?.board === board) return;
    mounted?.dispose();
    mounted = testEditor(board);
  };
  mount();
  return useHistoryStore.subscribe(mount);
}

const rect = (board: Board, x: number): ShapeId => addShape(board, { type: 'rect', x, y: 0, w: 50, h: 50, createdBy: 't' });

beforeEach(() => {
  live = openBoard();
  calls.length = 0;
  useBoardSession.setState({ board: live, boardId: 'board1', role: 'editor', status: 'connected', synced: true, sync: { unsaved: 0, transport: 'websocket', retryAt: null, online: true, localLoaded: true } });
  mocked.listVersions.mockImplementation(async () => ({ versions: [meta(2), meta(1, { checkpoint: true })], corrupt: [] }));
  mocked.createVersion.mockImplementation(async (body) => {
    calls.push(`create:${body.kind}:${body.name ?? ''}`);
    return meta(3, { kind: body.kind, name: body.name ?? null });
  });
  stopCanvas = fakeCanvas();
});

afterEach(() => {
  stopCanvas();
  resetHistory();
  mounted?.dispose();
  mounted = null;
  vi.clearAllMocks();
});

/** Version 1 holds the board as it is now; then the live board is emptied. */
function versionThenDeleteAll(): ShapeId[] {
  const ids = [rect(live, 0), rect(live, 100)];
  const state = encodeBoardState(live);
  mocked.loadVersionState.mockImplementation(async () => state);
  mounted!.run(() => deleteShapes(live, ids));
  return ids;
}

describe('viewing and restoring a version', () => {
  it('shows the version on the canvas read-only, then restores it as one undo step after a pre-restore version', async () => {
    const ids = versionThenDeleteAll();
    expect(await viewVersion(1)).toBe(true);
    expect(mounted!.board).toBe(useHistoryStore.getState().viewing!.board);
    expect(useHistoryStore.getState().counts).toEqual({ added: 0, changed: 0, removed: 2 });

    mocked.createVersion.mockImplementationOnce(async (body) => {
      calls.push(`create:${body.kind}:${body.name}`);
      expect(listShapes(live)).toHaveLength(0); // the server captures the board before anything is written
      return meta(3, { kind: 'pre-restore' });
    });
    expect(await restoreViewed()).toBe(true);
    expect(calls).toEqual([expect.stringMatching(/^create:pre-restore:Before restoring the version of /)]);
    expect(useHistoryStore.getState().viewing).toBeNull();
    expect(mounted!.board).toBe(live);
    expect(listShapes(live).map((s) => s.id).sort()).toEqual([...ids].sort());
    expect(useHistoryStore.getState().notice).toMatchObject({ kind: 'info' });

    mounted!.undo(); // the restore, in one step
    expect(listShapes(live)).toHaveLength(0);
    mounted!.undo(); // the live history from before viewing is still there: the deletion
    expect(listShapes(live)).toHaveLength(2);
  });

  it('restores nothing when the pre-restore version cannot be saved', async () => {
    versionThenDeleteAll();
    await viewVersion(1);
    mocked.createVersion.mockRejectedValueOnce(new BoardApiError('forbidden (HTTP 403)', 403));
    expect(await restoreViewed()).toBe(false);
    expect(listShapes(live)).toHaveLength(0);
    expect(useHistoryStore.getState().notice).toMatchObject({ kind: 'error', text: 'forbidden (HTTP 403)' });
    expect(useHistoryStore.getState().viewing).not.toBeNull(); // still viewing: the user can try again
  });

  it('waits for our own edits to be confirmed stored before saving the pre-restore version', async () => {
    useBoardSession.setState({ sync: { ...useBoardSession.getState().sync, unsaved: 2 } });
    let saved = false;
    const waiting = whenSaved(5_000).then(() => (saved = true));
    await Promise.resolve();
    expect(saved).toBe(false);
    useBoardSession.setState({ sync: { ...useBoardSession.getState().sync, unsaved: 0 } });
    await waiting;
    expect(saved).toBe(true);
    useBoardSession.setState({ status: 'disconnected' });
    await expect(whenSaved(20)).rejects.toThrow(/not saved on the server/);
  });

  it('viewers may view but not restore', async () => {
    versionThenDeleteAll();
    useBoardSession.setState({ role: 'viewer' });
    expect(await viewVersion(1)).toBe(true);
    expect(await restoreViewed()).toBe(false);
    expect(mocked.createVersion).not.toHaveBeenCalled();
    expect(bringBack()).toBe(0);
  });

  it('"Bring back" copies the selected version shapes to the live board as one undo step, while still viewing', async () => {
    const [a, b] = versionThenDeleteAll();
    await viewVersion(1);
    useUiStore.getState().select([a]);
    expect(bringBack()).toBe(1);
    expect(getShape(live, a)).not.toBeNull();
    expect(getShape(live, b)).toBeNull();
    expect(useHistoryStore.getState().counts).toEqual({ added: 0, changed: 0, removed: 1 });
    await backToLive();
    mounted!.undo();
    expect(getShape(live, a)).toBeNull();
  });

  it('a corrupt version (422) is listed as such and shown as an error, not thrown', async () => {
    mocked.loadVersionState.mockRejectedValueOnce(new api.VersionCorruptError('version 2 failed to load (HTTP 422)', 422));
    await expect(viewVersion(2)).resolves.toBe(false);
    expect(useHistoryStore.getState()).toMatchObject({ viewing: null, corrupt: [2], notice: { kind: 'error' } });
    expect(useHistoryStore.getState().notice?.text).toMatch(/could not be loaded/);
    expect(mounted!.board).toBe(live);
  });
});

describe('reset to the checkpoint', () => {
  it('counts the changes it undoes, then restores the checkpoint after a pre-restore version', async () => {
    const kept = rect(live, 0);
    const state = encodeBoardState(live);
    mocked.loadVersionState.mockImplementation(async () => state);
    await viewVersion(2).then(backToLive); // the list is loaded
    rect(live, 300);
    rect(live, 400);
    mounted!.run(() => deleteShapes(live, [kept]));

    expect(await prepareReset()).toBe(true);
    expect(useHistoryStore.getState().dialog).toMatchObject({ kind: 'reset', checkpoint: { id: 1 }, counts: { added: 2, changed: 0, removed: 1 } });
    expect(await confirmReset()).toBe(true);
    expect(listShapes(live).map((s) => s.id)).toEqual([kept]);
    expect(calls).toEqual([expect.stringMatching(/^create:pre-restore:Before resetting to /)]);
    mounted!.undo();
    expect(listShapes(live)).toHaveLength(2);
  });
});
