/**
 * Authorization of sync connections. Every connection carries a board token (`?token=`); the
 * transport calls `authorize` before the WebSocket upgrade completes and, when refused, accepts
 * and then closes with the returned 44xx code (a 401 at the upgrade would make browsers retry
 * forever; y-websocket >= 3.1 stops on 4400-4499).
 *
 * Close codes: 4401 missing / forged / expired token, or a token minted from a share link that
 * has since been rotated; 4403 a valid token for another board; 4410 the board is in the trash.
 *
 * Link-bound tokens carry `lv`, the link's version when minted; rotating a link bumps the stored
 * version, closes live connections opened with an older one (`revokeLink`) and makes new
 * connections with old tokens fail the version check. Storage is the authority: a rotation made
 * elsewhere (another server, with or without Redis; a lost pub/sub message) is enforced by
 * `sweepLinks`, which compares live connections with the stored versions every LINK_SWEEP_MS.
 *
 * Deleted boards (storage with a VersionStore: the trash) work the same way: `authorize` refuses
 * them (4410), `boardDeleted` closes their live connections here (and, in a cluster, tells the
 * other servers), and the sweep reads the trash once per round and closes any connection to a
 * trashed board it still finds: a board deleted on another server without a message reaching
 * us, or a connection authorized just before the deletion and admitted just after it.
 */
import { CloseCode } from '../../lib/protocol/close-codes';
import { verifyBoardToken, type Role } from '../../lib/auth/token';
import type { Logger } from '../logger';
import type { BoardLinks, LinkKind, Storage } from '../persistence/storage';
import { hasVersionStore } from '../persistence/versions';

export interface Grant {
  boardId: string;
  role: Role;
  name: string;
  /** The share link the token came from, or null for an operator token (`npm run token`). */
  link: { kind: LinkKind; version: number } | null;
}

export type AuthResult = { ok: true; grant: Grant } | { ok: false; code: number; reason: string };

export interface Revocable {
  close(code: number, reason: string): void;
}

export const kindForRole = (role: Role): LinkKind => (role === 'editor' ? 'edit' : 'view');

/** The `token` query parameter of a request URL, or null. */
export function tokenFromUrl(url: string | undefined): string | null {
  const q = (url ?? '').indexOf('?');
  if (q < 0) return null;
  return new URLSearchParams((url ?? '').slice(q + 1)).get('token');
}

export class BoardAuth {
  /** Live connections per board, each with its grant (a Map entry per connection, nothing else). */
  private readonly live = new Map<string, Map<Revocable, Grant>>();
  /** Lowest link version still accepted, per `${boardId}/${kind}`, raised by revokeLink. */
  private readonly minVersion = new Map<string, number>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;

  constructor(
    private readonly secret: Uint8Array,
    private readonly storage: Storage,
    private readonly log: Logger,
  ) {}

  async authorize(boardId: string, token: string | null): Promise<AuthResult> {
    const verified = await verifyBoardToken(this.secret, token);
    if (!verified.ok) {
      const reason = verified.reason === 'missing' ? 'token required' : verified.reason === 'expired' ? 'token expired' : 'invalid token';
      return { ok: false, code: CloseCode.Unauthorized, reason };
    }
    const { claims } = verified;
    if (claims.board !== boardId) return { ok: false, code: CloseCode.Forbidden, reason: 'token is for another board' };
    const kind = kindForRole(claims.role);
    const [links, deletedAt] = await Promise.all([
      claims.lv === undefined ? null : this.storage.getBoardLinks(boardId),
      hasVersionStore(this.storage) ? this.storage.trashedAt(boardId) : null,
    ]);
    if (deletedAt !== null) return { ok: false, code: CloseCode.BoardDeleted, reason: 'board deleted' };
    let link: Grant['link'] = null;
    if (claims.lv !== undefined) {
      if (!links || links[kind].version !== claims.lv) return { ok: false, code: CloseCode.Unauthorized, reason: 'link rotated' };
      link = { kind, version: claims.lv };
    }
    return { ok: true, grant: { boardId, role: claims.role, name: claims.name, link } };
  }

  /**
   * Remembers a live connection so a rotation can close it; pair with leave(). Returns false (and
   * closes the connection) if its link was rotated since authorize(). No closure or entry object
   * per connection: with 10,000 idle sockets that was ~0.1 KB each.
   */
  enter(grant: Grant, conn: Revocable): boolean {
    if (grant.link && grant.link.version < (this.minVersion.get(`${grant.boardId}/${grant.link.kind}`) ?? 0)) {
      // rotated between authorize() and now
      conn.close(CloseCode.Unauthorized, 'link rotated');
      return false;
    }
    let conns = this.live.get(grant.boardId);
    if (!conns) this.live.set(grant.boardId, (conns = new Map()));
    conns.set(conn, grant);
    return true;
  }

  /** Forgets a connection enter() remembered (no-op otherwise). */
  leave(boardId: string, conn: Revocable): void {
    const conns = this.live.get(boardId);
    if (conns?.delete(conn) && conns.size === 0) this.live.delete(boardId);
  }

  /** enter() returning the matching leave as a function (for callers that keep one per connection). */
  track(grant: Grant, conn: Revocable): () => void {
    if (!this.enter(grant, conn)) return () => {};
    return () => this.leave(grant.boardId, conn);
  }

  /** Closes (4401) live connections opened through an older version of the link; returns how many. */
  revokeLink(boardId: string, kind: LinkKind, currentVersion: number): number {
    const closed = this.closeOlder(boardId, kind, currentVersion);
    this.log.info({ boardId, kind, version: currentVersion, closed }, 'share link rotated');
    return closed;
  }

  /** The board went to the trash: closes (4410) its live connections here; returns how many. */
  boardDeleted(boardId: string): number {
    const closed = this.closeDeleted(boardId);
    this.log.info({ boardId, closed }, 'board deleted: connections closed');
    return closed;
  }

  protected closeDeleted(boardId: string): number {
    const conns = [...(this.live.get(boardId)?.keys() ?? [])];
    for (const conn of conns) conn.close(CloseCode.BoardDeleted, 'board deleted');
    return conns.length;
  }

  private closeOlder(boardId: string, kind: LinkKind, currentVersion: number): number {
    const key = `${boardId}/${kind}`;
    this.minVersion.set(key, Math.max(currentVersion, this.minVersion.get(key) ?? 0));
    let closed = 0;
    for (const [conn, grant] of [...(this.live.get(boardId) ?? [])]) {
      const link = grant.link;
      if (link && link.kind === kind && link.version < currentVersion) {
        conn.close(CloseCode.Unauthorized, 'link rotated');
        closed++;
      }
    }
    return closed;
  }

  /** Runs sweepLinks every `everyMs` (one timer for all boards) until stopLinkSweep(). */
  startLinkSweep(everyMs: number): void {
    this.stopLinkSweep();
    this.sweepTimer = setInterval(() => void this.sweepLinks(), everyMs);
    this.sweepTimer.unref();
  }

  stopLinkSweep(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }

  /**
   * Closes (4401) every live connection whose link version is older than storage's: one read per
   * board that has link-bound connections. Returns how many were closed; overlapping calls share a run.
   */
  sweepLinks(): Promise<number> {
    this.sweeping ??= this.sweepOnce().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async sweepOnce(): Promise<number> {
    let closed = await this.sweepTrash();
    for (const boardId of [...this.live.keys()]) {
      const oldest = this.oldestLinks(boardId);
      if (!oldest) continue;
      let links: BoardLinks | null;
      try {
        links = await this.storage.getBoardLinks(boardId);
      } catch (err) {
        // storage trouble: try again next round, don't hammer it for every board now
        this.log.warn({ err, boardId }, 'link sweep: reading links failed');
        break;
      }
      if (!links) continue;
      for (const kind of ['edit', 'view'] as const) {
        const stored = links[kind].version;
        const had = oldest[kind];
        if (had === undefined || had >= stored) continue;
        const n = this.closeOlder(boardId, kind, stored);
        this.log.info({ boardId, kind, version: stored, closed: n }, 'share link rotation enforced from storage');
        closed += n;
      }
    }
    return closed;
  }

  /** One read of the trash per round (not one per board): closes connections to trashed boards. */
  private async sweepTrash(): Promise<number> {
    if (this.live.size === 0 || !hasVersionStore(this.storage)) return 0;
    let trash;
    try {
      trash = await this.storage.listTrash();
    } catch (err) {
      this.log.warn({ err }, 'link sweep: reading the trash failed');
      return 0;
    }
    let closed = 0;
    for (const { boardId } of trash) {
      if (!this.live.has(boardId)) continue;
      this.log.info({ boardId }, 'board deletion enforced from storage');
      closed += this.closeDeleted(boardId);
    }
    return closed;
  }

  /** Lowest link version per kind among a board's live connections; null if none is link-bound. */
  private oldestLinks(boardId: string): Partial<Record<LinkKind, number>> | null {
    let out: Partial<Record<LinkKind, number>> | null = null;
    for (const grant of this.live.get(boardId)?.values() ?? []) {
      const link = grant.link;
      if (!link) continue;
      out ??= {};
      out[link.kind] = Math.min(out[link.kind] ?? Infinity, link.version);
    }
    return out;
  }
}
