'use client';

/** The board screen: header, toolbar, canvas with overlays. Opens the session for its lifetime. */
import './zod-jitless';
import Link from 'next/link';
import { useEffect, useMemo } from 'react';
import { listShapes } from '@/lib/board';
import { CloseCode } from '@/lib/protocol/close-codes';
import type { CommonboardTestApi, WindowWithTestApi } from '@/lib/testing/test-api';
import { addRecent, parseRecent, RECENT_KEY } from '@/lib/ui/recent-boards';
import { useUiStore } from '@/lib/ui/ui-store';
import { BoardCanvas, type PaintOver } from '../canvas/board-canvas';
import { canvasTestApi } from '../canvas/canvas-test-api';
import { SelectionOverlay } from '../canvas/selection-overlay';
import { NoteLayer } from '../notes/note-layer';
import { NotePreviews } from '../notes/note-previews';
import { notesTestApi } from '../notes/notes-test-api';
import { BoardPanels } from '../panels/board-panels';
import { ioTestApi } from '../panels/io-test-api';
import { ThemeToggle } from '../panels/theme-toggle';
import { PeopleList } from '../presence/people-list';
import { presenceTestApi } from '../presence/presence-test-api';
import { RemoteCursors } from '../presence/remote-cursors';
import { ConnectionStatus } from '../ui/connection-status';
import { Toolbar } from '../ui/toolbar';
import { BOARD_DELETED_REASON, getShareLinks, useBoardSession, whenSynced } from '../session/board-session';
import { isOfflineShellReady, registerOfflineShell } from '../session/offline-shell';
import { NEED_LINK_REASON } from '../session/session-auth';
import { paintVersionDiff } from '../history/diff-painter';
import { resetHistory } from '../history/history-actions';
import { HistoryButton, HistoryPanel } from '../history/history-panel';
import { useHistoryStore } from '../history/history-store';
import { historyTestApi } from '../history/history-test-api';
import { VersionBar } from '../history/version-bar';
import { ShareButton } from './share-panel';
import { startFileService } from '../files/file-service';
import { useFileStore } from '../files/file-store';
import { imagesTestApi } from '../files/images-test-api';
import { Toasts } from '../ui/toast';

function rememberBoard(boardId: string): void {
  try {
    const list = addRecent(parseRecent(localStorage.getItem(RECENT_KEY)), boardId, Date.now());
    localStorage.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    // storage unavailable (private mode, quota): the recent list is a convenience
  }
}

/** Installs window.commonboard (see lib/testing/test-api.ts) for e2e tests and debugging. */
function installTestApi(boardId: string): () => void {
  const api: CommonboardTestApi = {
    boardId,
    getShapes: () => {
      const board = useBoardSession.getState().board;
      return board ? listShapes(board) : [];
    },
    whenSynced,
    getStatus: () => useBoardSession.getState().status,
    getUser: () => ({ ...useBoardSession.getState().user }),
    getRole: () => useBoardSession.getState().role,
    getShareLinks,
    getSync: () => ({ ...useBoardSession.getState().sync, offlineReady: isOfflineShellReady() }),
    ...presenceTestApi(),
    ...canvasTestApi(),
    ...notesTestApi(),
    ...ioTestApi(),
    history: historyTestApi(),
    images: imagesTestApi(),
  };
  const w = window as WindowWithTestApi;
  w.commonboard = api;
  return () => {
    if (w.commonboard === api) delete w.commonboard;
  };
}

export function BoardView({ boardId, syncUrl }: { boardId: string; syncUrl?: string }) {
  const open = useBoardSession((s) => s.open);
  const board = useBoardSession((s) => s.board);
  const status = useBoardSession((s) => s.status);
  const synced = useBoardSession((s) => s.synced);
  const refusal = useBoardSession((s) => s.refusal);
  const user = useBoardSession((s) => s.user);
  const tokenRole = useBoardSession((s) => s.role);
  // offline, a returning editor keeps editing before a token can be fetched
  const role = useBoardSession((s) => s.role ?? s.lastRole);
  const sync = useBoardSession((s) => s.sync);
  // image uploads not yet confirmed count as unsaved changes too (components/files)
  const pendingUploads = useFileStore((s) => s.pending);
  // a version of the board shown read-only on the canvas instead of the live board (components/history)
  const viewing = useHistoryStore((s) => s.viewing);
  const historyOpen = useHistoryStore((s) => s.open);
  const diff = viewing?.diff ?? null;
  const paintOver = useMemo<PaintOver | null>(() => (diff ? (ctx, editor, size) => paintVersionDiff(ctx, editor, size, diff) : null), [diff]);
  const canEdit = role === 'editor' && status !== 'refused';
  const deleted = refusal?.code === CloseCode.BoardDeleted;

  useEffect(() => open(boardId, syncUrl), [open, boardId, syncUrl]);
  useEffect(() => startFileService(boardId), [boardId]);
  useEffect(() => () => resetHistory(), [boardId]);
  useEffect(() => installTestApi(boardId), [boardId]);
  useEffect(() => rememberBoard(boardId), [boardId]);
  useEffect(() => registerOfflineShell(), []);
  useEffect(() => () => useUiStore.getState().reset(), [boardId]);

  return (
    <div className="flex h-full flex-col">
      <header className="flex h-12 shrink-0 items-center gap-3 border-b border-slate-200 bg-white px-4 dark:border-slate-700 dark:bg-slate-800">
        <Link href="/" data-testid="home-link" className="font-semibold text-slate-900 hover:text-blue-600 dark:text-slate-100">
          Commonboard
        </Link>
        <span className="text-slate-300" aria-hidden>
          /
        </span>
        <h1 className="truncate text-sm text-slate-600 dark:text-slate-300" data-testid="board-title" title={boardId}>
          Untitled board
        </h1>
        <div className="ml-auto flex items-center gap-3">
          <PeopleList />
          {user.name ? (
            <span className="flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-300" data-testid="local-user">
              <span className="h-2.5 w-2.5 rounded-full" style={{ backgroundColor: user.color }} aria-hidden />
              {user.name}
            </span>
          ) : null}
          {role === 'viewer' ? (
            <span data-testid="view-only-badge" className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800">
              View only
            </span>
          ) : null}
          {tokenRole && !deleted ? <HistoryButton /> : null}
          {tokenRole && !deleted ? <ShareButton role={tokenRole} /> : null}
          <ConnectionStatus
            status={status}
            synced={synced}
            reason={refusal?.reason}
            unsaved={sync.unsaved + pendingUploads}
            transport={sync.transport}
            retryAt={sync.retryAt}
            online={sync.online}
          />
          <ThemeToggle />
        </div>
      </header>
      <main className="relative flex-1 overflow-hidden bg-slate-50 dark:bg-slate-900">
        {board ? (
          <BoardCanvas
            board={viewing?.board ?? board}
            userName={user.name}
            readOnly={viewing !== null || !canEdit}
            paintOver={paintOver}
            selectionActions={viewing === null}
          />
        ) : null}
        <NotePreviews />
        <SelectionOverlay />
        <NoteLayer />
        <RemoteCursors />
        <Toasts />
        {/* centred over the part of the canvas the history panel (w-80) leaves visible */}
        <div className={`absolute top-3 -translate-x-1/2 ${historyOpen ? 'left-[calc(50%-10rem)]' : 'left-1/2'}`}>
          {viewing ? <VersionBar canEdit={canEdit} /> : role === 'editor' ? <Toolbar /> : null}
        </div>
        {board ? <BoardPanels boardId={boardId} canEdit={canEdit && viewing === null} /> : null}
        {board && tokenRole && !deleted ? <HistoryPanel canEdit={canEdit} /> : null}
        {deleted ? (
          <div data-testid="board-deleted" role="alert" className="absolute inset-0 z-40 flex flex-col items-center justify-center gap-2 bg-slate-50 text-center dark:bg-slate-900">
            <p className="text-lg font-semibold text-slate-800 dark:text-slate-100">{BOARD_DELETED_REASON}</p>
            <p className="max-w-md text-sm text-slate-600 dark:text-slate-300">
              Someone with the edit link deleted it, and everyone was disconnected. It is in the trash: an operator can still restore it for a while.
            </p>
            <Link href="/" className="text-sm text-blue-600 hover:underline">
              Go to the home page
            </Link>
          </div>
        ) : null}
        {refusal?.reason === NEED_LINK_REASON ? (
          <div data-testid="need-link" className="absolute inset-0 z-10 flex flex-col items-center justify-center gap-2 bg-slate-50 text-center">
            <p className="text-lg font-semibold text-slate-800">{NEED_LINK_REASON}</p>
            <p className="max-w-md text-sm text-slate-600">Ask someone on this board for its edit or view link, or create a new board.</p>
            <Link href="/" className="text-sm text-blue-600 hover:underline">
              Go to the home page
            </Link>
          </div>
        ) : null}
        {status === 'refused' && !deleted ? (
          <div
            role="alert"
            data-testid="refused-banner"
            className="absolute bottom-4 left-1/2 w-max max-w-[90%] -translate-x-1/2 rounded-lg border border-red-200 bg-red-50 px-4 py-2 text-sm text-red-800 shadow"
          >
            The server refused this board{refusal?.reason ? `: ${refusal.reason}` : ''}. Editing is disabled.
          </div>
        ) : null}
      </main>
    </div>
  );
}
