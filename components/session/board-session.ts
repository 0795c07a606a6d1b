/**
 * Owns the lifetime of one board's Y.Doc (made by lib/board: no component imports yjs) and its
 * WebsocketProvider, local-first copy and presence publisher. `open()` returns its own cleanup so the board mounts with
 * `useEffect(() => open(...), [...])`: StrictMode-safe and no setState inside the effect body.
 */
import { WebsocketProvider } from 'y-websocket';
import { create } from 'zustand';
import type { Role } from '@/lib/auth/token';
import { ensureMeta, migrateBoard, openBoard, stateVector, type Board } from '@/lib/board';
import { CloseCode, isPermanentClose } from '@/lib/protocol/close-codes';
import { withNoteCaret } from '@/lib/notes/note-caret';
import { parsePresence, type Cursor, type PresenceState } from '@/lib/presence/awareness';
import { parsePresenceSettings } from '@/lib/presence/follow';
import { sendOwnAwarenessOnly } from '@/lib/presence/own-awareness';
import { DEFAULT_PRESENCE_HZ, PresencePublisher } from '@/lib/presence/publisher';
import { cleanName, colorForName, randomName, USER_KEY, type PresenceUser } from '@/lib/presence/user';
import type { ConnectionStatus } from '@/lib/testing/test-api';
import { defaultSyncUrl } from '@/lib/ui/sync-url';
import { openLocalFirst, type SyncInfo } from './local-first';
import { readLocal, writeLocal } from './local-storage';
import { SessionAuth, type ShareLinks } from './session-auth';

export type RemotePresence = PresenceState & { clientId: number };

/** The refusal reason of a board that was deleted (close code 4410): the board screen shows it full page. */
export const BOARD_DELETED_REASON = 'This board was deleted';

type SessionState = {
  boardId: string | null;
  board: Board | null;
  status: ConnectionStatus;
  synced: boolean;
  /** Why the server refused us (close code 4400-4499), shown to the user. */
  refusal: { code: number; reason: string } | null;
  /** What the share link grants; null until the first token arrives. */
  role: Role | null;
  /** The role this browser had on the board last time (localStorage), until a token says otherwise. */
  lastRole: Role | null;
  user: PresenceUser;
  /** Local persistence, unsaved changes, transport and retry timing (components/session/local-first.ts). */
  sync: SyncInfo;
  open: (boardId: string, syncUrl: string | undefined) => () => void;
};

let provider: WebsocketProvider | null = null;
let auth: SessionAuth | null = null;
let publisher: PresencePublisher | null = null;
let syncWaiters: (() => void)[] = [];
let syncWsUrl: string | null = null;

/** Name from ?name=, else localStorage, else a new random one (then remembered). */
function resolveUser(): PresenceUser {
  const fromUrl = cleanName(new URLSearchParams(window.location.search).get('name'));
  let name = fromUrl;
  try {
    if (!name) name = cleanName(window.localStorage.getItem(USER_KEY));
    if (!name) name = randomName();
    window.localStorage.setItem(USER_KEY, name);
  } catch {
    name = name ?? randomName(); // storage blocked (private mode): keep a per-tab name
  }
  return { name, color: colorForName(name) };
}

const ROLE_PREFIX = 'commonboard:role:';

/** The role this browser last had on the board: offline, the board stays editable before a token arrives. */
function cachedRole(boardId: string): Role | null {
  const role = readLocal(ROLE_PREFIX + boardId);
  return role === 'editor' || role === 'viewer' ? role : null;
}

export const useBoardSession = create<SessionState>((set, get) => ({
  boardId: null,
  board: null,
  status: 'connecting',
  synced: false,
  refusal: null,
  role: null,
  lastRole: null,
  user: { name: '', color: '#1971c2' },
  sync: { unsaved: 0, transport: null, retryAt: null, online: true, localLoaded: false },
  open: (boardId, syncUrl) => {
    const user = resolveUser();
    const board = openBoard();
    const doc = board.doc;
    const local = openLocalFirst(boardId, doc, () => stateVector(board), (sync) => {
      if (get().board === board) set({ sync });
    });
    const wsUrl = syncUrl ?? defaultSyncUrl(window.location);
    syncWsUrl = wsUrl;
    const p = new WebsocketProvider(wsUrl, encodeURIComponent(boardId), doc, {
      connect: false, // after the first token (session-auth.ts)
      WebSocketPolyfill: local.WebSocketPolyfill as unknown as typeof WebSocket, // WebSocket-shaped: see lib/sync/sync-socket.ts
      maxBackoffTime: 1_000, // the jittered backoff is ours (lib/sync/reconnect-policy.ts)
    });
    provider = p;
    local.attach(p, () => p.wsconnected);
    const stopOwnAwareness = sendOwnAwarenessOnly(p);
    const hz = parsePresenceSettings(new URLSearchParams(window.location.search)).hz ?? DEFAULT_PRESENCE_HZ;
    const pub = new PresencePublisher(
      { user, cursor: null, view: null, sel: [], act: 'active', spot: false, laser: false },
      (state) => p.awareness.setLocalState(withNoteCaret(p.awareness.getLocalState(), state)),
      hz,
    );
    publisher = pub;
    pub.flush();

    p.on('status', ({ status }) => {
      if (status === 'disconnected' && get().refusal) return; // keep 'refused' (the close event came first)
      set({ status, refusal: status === 'disconnected' ? get().refusal : null });
    });
    const a = new SessionAuth(p, boardId, user.name, {
      onRole: (role) => {
        writeLocal(ROLE_PREFIX + boardId, role);
        set({ role });
      },
      onRefused: (reason) => set({ status: 'refused', refusal: { code: CloseCode.Unauthorized, reason } }),
    });
    auth = a;
    p.on('connection-close', (event) => {
      if (event && a.handleClose(event.code)) return; // token/link trouble: one renewal, then reconnect
      if (event && isPermanentClose(event.code)) {
        const reason = event.code === CloseCode.BoardDeleted ? BOARD_DELETED_REASON : event.reason || `closed with ${event.code}`;
        set({ status: 'refused', refusal: { code: event.code, reason } });
      }
    });
    p.on('sync', (synced) => {
      set({ synced });
      if (!synced) return;
      a.synced();
      ensureMeta(board);
      if (migrateBoard(board) === 'newer') console.warn('This board was written by a newer Commonboard version.');
      const waiters = syncWaiters;
      syncWaiters = [];
      for (const resolve of waiters) resolve();
    });

    set({ boardId, board, user, status: 'connecting', synced: false, refusal: null, role: null, lastRole: cachedRole(boardId), sync: local.info() });
    a.start();
    return () => {
      if (auth === a) auth = null;
      a.destroy();
      if (provider === p) provider = null;
      if (publisher === pub) publisher = null;
      pub.dispose();
      p.awareness.setLocalState(null); // still sent: our own state
      stopOwnAwareness();
      p.destroy();
      local.dispose();
      doc.destroy();
      if (get().board === board) set({ board: null, boardId: null, synced: false, status: 'disconnected' });
    };
  },
}));

/** The share links this user may see (edit link for editors only), as absolute URLs. */
export function getShareLinks(): Promise<ShareLinks> {
  return auth ? auth.shareLinks() : Promise.reject(new Error('no board session'));
}

/** Rotates one share link (editors only); connections that used the old one are closed. */
export function rotateShareLink(which: 'edit' | 'view'): Promise<ShareLinks> {
  return auth ? auth.rotate(which) : Promise.reject(new Error('no board session'));
}

/** The session's board token (Authorization for the app API: components/session/board-api.ts), or null. */
export function getBoardToken(): string | null {
  return auth?.token() ?? null;
}

/** The sync server's WebSocket URL of the open board (its HTTP side serves files), or null. */
export function getSyncWsUrl(): string | null {
  return syncWsUrl;
}

/** Resolves once the current session has synced with the server (at once if it already has). */
export function whenSynced(): Promise<void> {
  if (useBoardSession.getState().synced) return Promise.resolve();
  return new Promise((resolve) => syncWaiters.push(resolve));
}

/** The provider of the open board (note editors bind their carets to its awareness), or null. */
export function getProvider(): WebsocketProvider | null {
  return provider;
}

/** Publishes the local cursor (board coordinates), or null when the pointer leaves the board. */
export function setLocalCursor(cursor: Cursor | null): void {
  publisher?.update({ cursor });
}

/** Updates local presence fields; they go out throttled (lib/presence/publisher.ts). */
export function updateLocalPresence(patch: Partial<Omit<PresenceState, 'user'>>): void {
  publisher?.update(patch);
}

/** Valid remote presence states (malformed peers are skipped). */
export function listRemotePresence(): RemotePresence[] {
  const p = provider;
  if (!p) return [];
  const out: RemotePresence[] = [];
  p.awareness.getStates().forEach((state, clientId) => {
    if (clientId === p.awareness.clientID) return;
    const parsed = parsePresence(state);
    if (parsed) out.push({ ...parsed, clientId });
  });
  return out;
}

/** Calls cb whenever any presence state changes; returns the unsubscribe. */
export function observePresence(cb: () => void): () => void {
  const p = provider;
  if (!p) return () => {};
  p.awareness.on('change', cb);
  return () => p.awareness.off('change', cb);
}
