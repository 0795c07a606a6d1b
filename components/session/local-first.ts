/**
 * Offline-first plumbing for one board session (board-session.ts wires it in):
 *   - the Y.Doc is also kept in IndexedDB (y-indexeddb), so a board opened before renders at once
 *     and offline edits survive a reload;
 *   - the provider's socket class (lib/sync/sync-socket.ts): jittered reconnects, HTTP fallback,
 *     and the "not yet saved" count (lib/sync/pending-changes.ts), which is also kept in
 *     localStorage so changes made before a reload still count until the server confirms them;
 *   - `online` / `visibilitychange` retry at once; `offline` drops the socket (it is dead anyway);
 *   - a beforeunload warning while changes are unsaved.
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import type { WebsocketProvider } from 'y-websocket';
import { PendingChanges } from '@/lib/sync/pending-changes';
import { ReconnectPolicy } from '@/lib/sync/reconnect-policy';
import { readLocal, writeLocal } from './local-storage';
import { createSyncSocketClass, OFFLINE_CLOSE, type InnerSocketClass, type TransportKind } from '@/lib/sync/sync-socket';

const UNSAVED_PREFIX = 'commonboard:unsaved:';
/** A change this young on a live connection is normally confirmed within a second: don't nag yet. */
const WARN_AFTER_MS = 2_000;

export type SyncInfo = {
  /** Local changes the server has not confirmed as stored. */
  unsaved: number;
  transport: TransportKind | null;
  /** When the next connection attempt starts (ms since epoch), or null. */
  retryAt: number | null;
  online: boolean;
  /** The local copy (IndexedDB) has been loaded into the document. */
  localLoaded: boolean;
};

/**
 * The stored count is one entry per page ({ [pageId]: n }), not one number: with one number, two
 * tabs of a board overwrote each other, and a tab closing with nothing pending erased the other
 * tab's count, so the board reopened offline claiming everything was saved.
 */
const PAGE_ID = Math.random().toString(36).slice(2, 10);

function readEntries(boardId: string): Record<string, number> {
  const raw = readLocal(UNSAVED_PREFIX + boardId);
  if (raw === null) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof parsed === 'number') parsed = { legacy: parsed }; // written by an older version
  if (typeof parsed !== 'object' || parsed === null) return {};
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, number] => Number.isInteger(e[1]) && e[1] > 0));
}

function writeEntries(boardId: string, entries: Record<string, number>): void {
  writeLocal(UNSAVED_PREFIX + boardId, Object.keys(entries).length > 0 ? JSON.stringify(entries) : null);
}

/**
 * Adopts every stored entry (closed pages' changes are in IndexedDB, so this page's first upload
 * carries them): their sum becomes this page's count. A still-open tab counted here too is counted
 * twice, which only delays the "saved" until the first confirmation; it re-adds its own entry.
 */
function takeCarried(boardId: string): number {
  const carried = Object.values(readEntries(boardId)).reduce((a, b) => a + b, 0);
  writeEntries(boardId, carried > 0 ? { [PAGE_ID]: carried } : {});
  return carried;
}

function writeCarried(boardId: string, n: number): void {
  const entries = readEntries(boardId);
  if (n > 0) entries[PAGE_ID] = n;
  else delete entries[PAGE_ID];
  writeEntries(boardId, entries);
}

export interface LocalFirst {
  WebSocketPolyfill: ReturnType<typeof createSyncSocketClass>;
  /** Starts listening once the provider exists. */
  attach(provider: WebsocketProvider, isConnected: () => boolean): void;
  info(): SyncInfo;
  dispose(): void;
}

type Doc = ConstructorParameters<typeof IndexeddbPersistence>[1];

/** `stateVector` is the doc's encoded state vector (this file may not import yjs). */
export function openLocalFirst(boardId: string, doc: Doc, stateVector: () => Uint8Array, onInfo: (info: SyncInfo) => void): LocalFirst {
  const policy = new ReconnectPolicy();
  const pending = new PendingChanges({ carried: takeCarried(boardId) });
  let transport: TransportKind | null = null;
  let localLoaded = false;
  let unsavedSince: number | null = pending.count > 0 ? Date.now() : null;
  let idb: IndexeddbPersistence | null = null;
  try {
    idb = new IndexeddbPersistence(`commonboard:${boardId}`, doc);
    void idb.whenSynced.then(() => {
      localLoaded = true;
      emit();
    });
  } catch {
    localLoaded = true; // IndexedDB unavailable (some private modes): server-only, as before
  }

  const info = (): SyncInfo => ({
    unsaved: pending.count,
    transport,
    retryAt: policy.retryAt,
    online: navigator.onLine,
    localLoaded,
  });
  const emit = () => onInfo(info());
  let writeTimer: ReturnType<typeof setTimeout> | null = null;
  const stopPending = pending.onChange((n) => {
    unsavedSince = n === 0 ? null : (unsavedSince ?? Date.now());
    emit();
    writeTimer ??= setTimeout(() => {
      writeTimer = null;
      writeCarried(boardId, pending.count);
    }, 300);
  });
  const stopPolicy = policy.onChange(emit);

  const WebSocketPolyfill = createSyncSocketClass({
    policy,
    pending,
    stateVector,
    isOnline: () => navigator.onLine,
    onTransport: (kind) => {
      transport = kind;
      emit();
    },
    WebSocketImpl: WebSocket as unknown as InnerSocketClass, // DOM handler types are narrower than the structural ones
  });

  let detach = () => {};
  return {
    WebSocketPolyfill,
    attach(provider, isConnected) {
      const onUpdate = (_update: Uint8Array, origin: unknown) => {
        if (origin !== provider && origin !== idb) pending.localChange();
      };
      const retryNow = () => {
        policy.wake();
        if (provider.shouldConnect && provider.ws === null) provider.connect();
        emit();
      };
      const onOffline = () => {
        provider.ws?.close(OFFLINE_CLOSE.code, OFFLINE_CLOSE.reason);
        emit();
      };
      const onVisible = () => {
        if (document.visibilityState === 'visible' && !isConnected()) retryNow();
      };
      const onBeforeUnload = (event: BeforeUnloadEvent) => {
        writeCarried(boardId, pending.count);
        if (pending.count === 0) return;
        if (isConnected() && unsavedSince !== null && Date.now() - unsavedSince < WARN_AFTER_MS) return;
        event.preventDefault();
        event.returnValue = ''; // older browsers show the dialog only with this set
      };
      const onPageHide = () => writeCarried(boardId, pending.count);
      const listeners: [EventTarget, string, (event: never) => void][] = [
        [window, 'online', retryNow],
        [window, 'offline', onOffline],
        [document, 'visibilitychange', onVisible],
        [window, 'beforeunload', onBeforeUnload],
        [window, 'pagehide', onPageHide],
      ];
      doc.on('update', onUpdate);
      for (const [target, type, fn] of listeners) target.addEventListener(type, fn as EventListener);
      detach = () => {
        doc.off('update', onUpdate);
        for (const [target, type, fn] of listeners) target.removeEventListener(type, fn as EventListener);
      };
    },
    info,
    dispose() {
      detach();
      stopPending();
      stopPolicy();
      if (writeTimer) clearTimeout(writeTimer);
      writeCarried(boardId, pending.count);
      pending.dispose();
      policy.cancel();
      void idb?.destroy();
    },
  };
}
