/**
 * What the history panel does: list versions, show one read-only on the canvas (the canvas mounts
 * its editor on the version's board; the live board's undo history stays with the live board, see
 * components/editor/editor.ts), restore it, bring single shapes back, save versions, the demo
 * checkpoint. The only writer of the history store.
 *
 * Restores run here, on the client, as one forward change through the live editor (`editor.run`):
 * peers get it live, and the restoring user can undo it with Ctrl+Z. Before writing, a pre-restore
 * version is saved on the server, after our own edits are confirmed stored (else that version would
 * miss them).
 */
import { boardFromState, diffBoards, restoreBoard, restoreShapes, type Board } from '@/lib/board';
import type { VersionMeta } from '@/lib/history/versions';
import { useUiStore } from '@/lib/ui/ui-store';
import { whenStore } from '@/lib/ui/when-store';
import { runOnBoard } from '../editor/editor';
import { useEditorStore, whenEditorFor } from '../editor/editor-store';
import { BoardApiError } from '../session/board-api';
import { useBoardSession } from '../session/board-session';
import * as api from './history-api';
import { INITIAL_HISTORY, useHistoryStore, type Viewing } from './history-store';
import { VersionDiff } from './version-diff';
import { plural, preRestoreName, versionLabel } from './version-format';

const set = useHistoryStore.setState;
const get = useHistoryStore.getState;

/** How long a restore or save waits for our own edits to be confirmed stored by the server. */
export const SAVED_TIMEOUT_MS = 15_000;

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

function liveBoard(): Board {
  const board = useBoardSession.getState().board;
  if (!board) throw new Error('the board is not open');
  return board;
}

/** Whether this user may change history (save, restore, checkpoint): editors, while not refused. */
export function canEditHistory(): boolean {
  const s = useBoardSession.getState();
  return s.role === 'editor' && s.status !== 'refused';
}

/** Versions that answered 422 (or did not decode) in this session: listed as "could not be loaded". */
const failedHere = new Set<number>();
let listSeq = 0;
let viewSeq = 0;

export async function refresh(): Promise<void> {
  const seq = ++listSeq;
  try {
    const list = await api.listVersions();
    if (seq !== listSeq) return; // a newer refresh (after an action) wins
    const viewing = get().viewing;
    const fresh = viewing && list.versions.find((v) => v.id === viewing.meta.id);
    set({
      versions: list.versions,
      corrupt: [...new Set([...list.corrupt, ...failedHere])],
      loaded: true,
      listError: null,
      ...(viewing && fresh ? { viewing: { ...viewing, meta: fresh } } : {}),
    });
  } catch (err) {
    if (seq === listSeq) set({ loaded: true, listError: `The history could not be loaded: ${errorText(err)}` });
  }
}

export function openPanel(): void {
  if (!get().open) set({ open: true, notice: null });
  void refresh();
}

export function closePanel(): Promise<void> {
  set({ open: false, dialog: null });
  return backToLive();
}

export function dismissNotice(): void {
  set({ notice: null });
}

/** Resolves once our own edits are confirmed stored by the server (components/session/local-first.ts). */
export async function whenSaved(timeoutMs = SAVED_TIMEOUT_MS): Promise<void> {
  await whenStore(
    useBoardSession,
    (s) => (s.status === 'connected' && s.synced && s.sync.unsaved === 0) || null,
    timeoutMs,
    'your latest changes are not saved on the server yet (check the connection); nothing was changed',
  );
}

/** Runs one panel action: one at a time, errors shown in the panel, the list refreshed after. */
async function action(name: string, run: () => Promise<string | null>, options: { refresh?: boolean } = {}): Promise<boolean> {
  if (get().busy) return false;
  set({ busy: name, notice: null });
  try {
    const info = await run();
    if (info) set({ notice: { kind: 'info', text: info } });
    return true;
  } catch (err) {
    set({ notice: { kind: 'error', text: errorText(err) } });
    return false;
  } finally {
    set({ busy: null });
    if (options.refresh !== false) void refresh();
  }
}

/** Destroys a version's document once the canvas has let go of it (its editor is disposed). */
function destroyAfterSwitch(board: Board, next: Board): void {
  void whenEditorFor(next)
    .catch(() => undefined)
    .finally(() => board.doc.destroy());
}

/** Stops viewing (the canvas goes back to `live`); the caller owns the returned version's doc. */
function leaveViewing(): Viewing | null {
  viewSeq++; // a version still loading is not shown any more
  const viewing = get().viewing;
  set({ viewing: null, counts: null, loadingVersion: null });
  if (!viewing) return null;
  viewing.diff.dispose();
  useUiStore.getState().select([]); // ids of the version's shapes
  return viewing;
}

function onDiffChanged(diff: VersionDiff): void {
  if (get().viewing?.diff !== diff) return;
  const next = diff.counts();
  const prev = get().counts;
  if (!prev || prev.added !== next.added || prev.changed !== next.changed || prev.removed !== next.removed) set({ counts: next });
  useEditorStore.getState().editor?.requestFrame();
}

/** A restore or reset is running (it switches the canvas back to live). */
const restoring = (): boolean => get().busy === 'restore' || get().busy === 'reset';

function findVersion(id: number): VersionMeta | undefined {
  return get().versions.find((v) => v.id === id);
}

/** Shows a version read-only on the canvas; false (with the reason in the panel) if it cannot be loaded. */
export async function viewVersion(id: number): Promise<boolean> {
  if (restoring()) return false; // the canvas is on its way back to live to be restored
  if (!findVersion(id)) await refresh();
  const meta = findVersion(id);
  if (!meta) {
    set({ notice: { kind: 'error', text: `There is no version ${id} (any more).` } });
    return false;
  }
  const seq = ++viewSeq;
  set({ loadingVersion: id, notice: null });
  let board: Board;
  try {
    board = boardFromState(await api.loadVersionState(id));
  } catch (err) {
    if (seq !== viewSeq) return false;
    // a 422, or a state that does not decode: that version is broken, not the connection
    const broken = err instanceof api.VersionCorruptError || !(err instanceof BoardApiError);
    if (broken) failedHere.add(id);
    set({
      loadingVersion: null,
      corrupt: broken ? [...new Set([...get().corrupt, id])] : get().corrupt,
      notice: { kind: 'error', text: `${versionLabel(meta)} could not be loaded: ${errorText(err)}` },
    });
    return false;
  }
  if (seq !== viewSeq) {
    board.doc.destroy(); // another version (or live) was asked for meanwhile
    return false;
  }
  useEditorStore.getState().editor?.stopEditing(); // a text being typed ends as on a click elsewhere
  const previous = leaveViewing();
  useUiStore.getState().select([]); // live ids: "Bring back" must start from nothing selected
  const diff: VersionDiff = new VersionDiff(liveBoard(), board, () => onDiffChanged(diff));
  set({ viewing: { meta, board, diff }, counts: diff.counts(), open: true });
  if (previous) destroyAfterSwitch(previous.board, board);
  return true;
}

/** Back to the live board; resolves once its editor is mounted again (with its undo history). */
export async function backToLive(): Promise<void> {
  const previous = leaveViewing();
  if (!previous) return;
  const live = liveBoard();
  destroyAfterSwitch(previous.board, live);
  await whenEditorFor(live);
}

/**
 * Makes the live board equal to `source` as one undoable step of this user, after saving a
 * pre-restore version of the server's current state. Returns to live first.
 */
async function restoreFrom(source: Board, preRestore: string): Promise<void> {
  await whenSaved();
  await api.createVersion({ kind: 'pre-restore', name: preRestore });
  const live = liveBoard();
  const previous = leaveViewing(); // kept until the restore has read it (it may be `source`)
  try {
    const editor = await whenEditorFor(live);
    editor.run(() => restoreBoard(live, source));
  } finally {
    if (previous) previous.board.doc.destroy();
  }
}

/** Restores the version being viewed (editors). */
export function restoreViewed(): Promise<boolean> {
  const viewing = get().viewing;
  if (!viewing || !canEditHistory()) return Promise.resolve(false);
  const label = versionLabel(viewing.meta);
  return action('restore', async () => {
    await restoreFrom(viewing.board, preRestoreName('Before restoring', viewing.meta));
    return `Restored ${label}. Ctrl+Z undoes it.`;
  });
}

/** "Bring back": the selected shapes of the viewed version onto the live board, one undo step (editors). */
export function bringBack(): number {
  const viewing = get().viewing;
  const ids = useUiStore.getState().selection;
  if (!viewing || !canEditHistory() || ids.length === 0) return 0;
  const live = liveBoard();
  const { added, changed } = runOnBoard(live, () => restoreShapes(live, viewing.board, ids));
  const n = added + changed;
  set({ notice: { kind: 'info', text: n === 0 ? 'Those shapes are already the same on the live board.' : `Brought back ${plural(n, 'shape', 'shapes')}.` } });
  return n;
}

export function saveVersion(name: string): Promise<boolean> {
  if (!canEditHistory()) return Promise.resolve(false);
  return action('save', async () => {
    await whenSaved();
    const trimmed = name.trim();
    const meta = await api.createVersion(trimmed ? { kind: 'named', name: trimmed } : { kind: 'named' });
    set({ dialog: null });
    return `Saved ${versionLabel(meta)}.`;
  });
}

export function renameVersion(id: number, name: string | null): Promise<boolean> {
  return action('rename', async () => {
    await api.renameVersion(id, name?.trim() || null);
    set({ dialog: null });
    return null;
  });
}

export function deleteVersion(id: number): Promise<boolean> {
  return action('delete', async () => {
    if (get().viewing?.meta.id === id) await backToLive();
    await api.deleteVersion(id);
    return null;
  });
}

/** Marks a version as the board's demo checkpoint (null clears it). */
export function markCheckpoint(id: number | null): Promise<boolean> {
  return action('checkpoint', async () => {
    await api.setCheckpoint(id);
    return null;
  });
}

/** Loads the checkpoint and opens the confirmation that says how many changes a reset undoes. */
export function prepareReset(): Promise<boolean> {
  const checkpoint = get().versions.find((v) => v.checkpoint);
  if (!checkpoint || !canEditHistory()) return Promise.resolve(false);
  return action(
    'reset',
    async () => {
      const board = boardFromState(await api.loadVersionState(checkpoint.id));
      const c = diffBoards(board, liveBoard());
      set({ dialog: { kind: 'reset', checkpoint, board, counts: { added: c.added.length, changed: c.changed.length, removed: c.removed.length } } });
      return null;
    },
    { refresh: false },
  );
}

export function confirmReset(): Promise<boolean> {
  const dialog = get().dialog;
  if (dialog?.kind !== 'reset') return Promise.resolve(false);
  set({ dialog: null });
  return action('reset', async () => {
    try {
      await restoreFrom(dialog.board, preRestoreName('Before resetting to', dialog.checkpoint));
    } finally {
      dialog.board.doc.destroy();
    }
    return `Reset to the checkpoint ${versionLabel(dialog.checkpoint)}. Ctrl+Z undoes it.`;
  });
}

export function openDialog(dialog: { kind: 'save' } | { kind: 'rename'; version: VersionMeta }): void {
  closeDialog();
  set({ dialog, notice: null });
}

export function closeDialog(): void {
  const dialog = get().dialog;
  if (dialog?.kind === 'reset') dialog.board.doc.destroy();
  set({ dialog: null });
}

/** Forgets everything (the board session ended): no document outlives its board. */
export function resetHistory(): void {
  const viewing = leaveViewing();
  closeDialog();
  viewing?.board.doc.destroy();
  failedHere.clear();
  listSeq++;
  set({ ...INITIAL_HISTORY });
}
