/**
 * Who may open a socket: Origin allow-list and connection caps per board and per IP. Decisions
 * are made after the upgrade (the caller closes with the returned code) because a browser only
 * sees 1006 for a refused upgrade and retries forever. One instance serves both the WebSocket and
 * the HTTP-fallback transport (start-server.ts), so a cap counts connections of either kind.
 */
import { CloseCode } from '../../lib/protocol/close-codes';

export type RejectReason = 'origin' | 'board_full' | 'ip_limit';

export type Admission =
  | { ok: true; release: () => void }
  | { ok: false; reason: RejectReason; code: number; message: string };

export interface AdmissionConfig {
  allowedOrigins: string[] | null;
  maxConnectionsPerBoard: number;
  maxConnectionsPerIp: number;
}

/** Lower-cases and drops a trailing slash so `https://A.example/` matches `https://a.example`. */
export function normalizeOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/$/, '');
}

export class AdmissionControl {
  private readonly perBoard = new Map<string, number>();
  private readonly perIp = new Map<string, number>();
  private readonly origins: Set<string> | null;

  constructor(private readonly config: AdmissionConfig) {
    this.origins = config.allowedOrigins ? new Set(config.allowedOrigins.map(normalizeOrigin)) : null;
  }

  /**
   * `origin` is the Origin header: browsers always send it on a WebSocket upgrade; native clients
   * usually don't, and they are let through (the Origin check only protects browsers' users).
   */
  admit(boardId: string, ip: string, origin: string | undefined): Admission {
    const refused = this.enter(boardId, ip, origin);
    if (refused) return refused;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.leave(boardId, ip);
      },
    };
  }

  /**
   * `admit` without the release closure, for callers that keep boardId and ip anyway (the
   * WebSocket transport: one closure less per idle socket). null = admitted; call `leave` once.
   */
  enter(boardId: string, ip: string, origin: string | undefined): Extract<Admission, { ok: false }> | null {
    if (this.origins && origin !== undefined && !this.origins.has(normalizeOrigin(origin))) {
      return { ok: false, reason: 'origin', code: CloseCode.Forbidden, message: 'origin not allowed' };
    }
    if ((this.perBoard.get(boardId) ?? 0) >= this.config.maxConnectionsPerBoard) {
      return { ok: false, reason: 'board_full', code: CloseCode.TryAgainLater, message: 'too many connections to this board' };
    }
    if ((this.perIp.get(ip) ?? 0) >= this.config.maxConnectionsPerIp) {
      return { ok: false, reason: 'ip_limit', code: CloseCode.TryAgainLater, message: 'too many connections from this address' };
    }
    bump(this.perBoard, boardId, 1);
    bump(this.perIp, ip, 1);
    return null;
  }

  /** Undoes one successful `enter`. */
  leave(boardId: string, ip: string): void {
    bump(this.perBoard, boardId, -1);
    bump(this.perIp, ip, -1);
  }
}

function bump(map: Map<string, number>, key: string, delta: number): void {
  const next = (map.get(key) ?? 0) + delta;
  if (next <= 0) map.delete(key);
  else map.set(key, next);
}
