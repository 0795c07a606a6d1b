/**
 * Client side of board authorization: share-link keys and board tokens.
 *
 * A key comes from the link's `#key=` (or a legacy `?key=`), then is remembered per board in
 * localStorage and removed from the address bar; or from localStorage, so `/b/<id>` alone works again
 * in a browser that opened a link within the last 30 days (lib/auth/link-key.ts).
 * The key is traded at POST /api/token for a ~10 min token that goes to the sync server as
 * `?token=`. y-websocket re-reads `provider.params` at every reconnect, so the token is refreshed on
 * a timer before it expires. A 4401/4403 close (expired token, rotated link) gets one fresh token
 * and a reconnect; if the key itself no longer resolves, the board is refused for good.
 */
import type { WebsocketProvider } from 'y-websocket';
import type { Role } from '@/lib/auth/token';
import { decodeStoredKey, encodeStoredKey, KEY_PREFIX, keyOfLink, takeKeyFromUrl } from '@/lib/auth/link-key';
import { CloseCode } from '@/lib/protocol/close-codes';
import { readLocal, writeLocal } from './local-storage';

export const NEED_LINK_REASON = 'You need a link to open this board';
export const LINK_DEAD_REASON = 'This link no longer works';
const REFRESH_BEFORE_MS = 60_000;
const RETRY_MS = 3_000;

export type ShareLinks = { edit?: string; view: string };

type TokenResponse = { token: string; role: Role; expiresAt: number };

/** Remembers the key as used now (its 30 days start again). */
const storeKey = (boardId: string, key: string): void => writeLocal(KEY_PREFIX + boardId, encodeStoredKey(key, Date.now()));

/** Forgets every remembered key unused for 30 days (this board's and any other's). */
function dropExpiredKeys(): void {
  const now = Date.now();
  try {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const name = localStorage.key(i);
      if (name?.startsWith(KEY_PREFIX) && decodeStoredKey(localStorage.getItem(name), now) === 'expired') localStorage.removeItem(name);
    }
  } catch {
    // storage blocked: nothing is remembered anyway
  }
}

/** Takes the key off the address bar (it is a secret) and returns the key to use, if any. */
function takeKey(boardId: string): string | null {
  const taken = takeKeyFromUrl(window.location.href);
  if (taken.cleanUrl !== null) window.history.replaceState(window.history.state, '', taken.cleanUrl);
  dropExpiredKeys();
  const stored = decodeStoredKey(readLocal(KEY_PREFIX + boardId), Date.now());
  const key = taken.key ?? (stored !== null && stored !== 'expired' ? stored.key : null);
  if (key) storeKey(boardId, key);
  return key;
}

async function postJson(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json().catch(() => null)) as unknown };
}

export interface SessionAuthHandlers {
  onRole(role: Role): void;
  onRefused(reason: string): void;
}

export class SessionAuth {
  private key: string | null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private retriedSinceSync = false;
  private destroyed = false;
  /** Set while a rotation of our own link is in flight: its 4401 must wait for the new key. */
  private keyChange: Promise<void> | null = null;
  private currentToken: string | null = null;

  constructor(
    private readonly provider: WebsocketProvider,
    readonly boardId: string,
    private readonly name: string,
    private readonly handlers: SessionAuthHandlers,
  ) {
    this.key = takeKey(boardId);
    window.addEventListener('hashchange', this.onHashChange);
  }

  /** A link of this board pasted over its own address changes only the fragment: no page load. */
  private readonly onHashChange = (): void => {
    const { key } = takeKeyFromUrl(window.location.href);
    if (!key || key === this.key) return;
    storeKey(this.boardId, key);
    window.location.reload(); // start over with the new key (and maybe another role)
  };

  start(): void {
    if (!this.key) {
      this.handlers.onRefused(NEED_LINK_REASON);
      return;
    }
    void this.renew(true);
  }

  /** Whether this close is ours to handle (token/link problems); if so, retries once per sync. */
  handleClose(code: number): boolean {
    if (code !== CloseCode.Unauthorized && code !== CloseCode.Forbidden) return false;
    if (this.retriedSinceSync || !this.key) return false;
    this.retriedSinceSync = true;
    void (async () => {
      await this.keyChange;
      await this.renew(true);
    })();
    return true;
  }

  /** The board token of this session (for the app API's `Authorization: Bearer`), null before the first one. */
  token(): string | null {
    return this.currentToken;
  }

  synced(): void {
    this.retriedSinceSync = false;
  }

  destroy(): void {
    this.destroyed = true;
    window.removeEventListener('hashchange', this.onHashChange);
    if (this.timer) clearTimeout(this.timer);
  }

  async shareLinks(): Promise<ShareLinks> {
    const { status, json } = await postJson(`/api/boards/${encodeURIComponent(this.boardId)}/links`, { key: this.key });
    if (status !== 200) throw new Error(`share links: HTTP ${status}`);
    return json as ShareLinks;
  }

  /** Rotates a link (editors only); our own edit key is replaced before our socket's 4401 is handled. */
  async rotate(which: 'edit' | 'view'): Promise<ShareLinks> {
    const run = (async () => {
      const { status, json } = await postJson(`/api/boards/${encodeURIComponent(this.boardId)}/links/rotate`, { key: this.key, which });
      if (status !== 200) throw new Error(`rotate: HTTP ${status}`);
      const links = json as Required<ShareLinks>;
      if (which === 'edit') {
        const next = keyOfLink(links.edit);
        if (next) {
          this.key = next;
          storeKey(this.boardId, next);
        }
      }
      return links;
    })();
    this.keyChange = run.then(
      () => undefined,
      () => undefined,
    );
    try {
      return await run;
    } finally {
      this.keyChange = null;
    }
  }

  /** Fetches a token into provider.params; connects if asked. Retries on network errors. */
  private async renew(connect: boolean): Promise<void> {
    if (this.destroyed) return;
    if (this.timer) clearTimeout(this.timer);
    let result: { status: number; json: unknown };
    try {
      result = await postJson('/api/token', { boardId: this.boardId, key: this.key, name: this.name });
    } catch {
      result = { status: 0, json: null };
    }
    if (this.destroyed) return;
    if (result.status === 403 || result.status === 400) {
      this.handlers.onRefused(LINK_DEAD_REASON);
      this.provider.disconnect();
      return;
    }
    if (result.status !== 200) {
      // web app or sync server briefly unreachable: try again, keep what we have
      this.timer = setTimeout(() => void this.renew(connect), RETRY_MS);
      return;
    }
    const { token, role, expiresAt } = result.json as TokenResponse;
    if (this.key) storeKey(this.boardId, this.key); // a use: the key's 30 days start again
    this.provider.params = { token };
    this.currentToken = token;
    this.handlers.onRole(role);
    this.timer = setTimeout(() => void this.renew(false), Math.max(5_000, expiresAt - Date.now() - REFRESH_BEFORE_MS));
    if (connect) this.provider.connect();
  }
}
