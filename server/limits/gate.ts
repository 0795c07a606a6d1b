/**
 * The one admission gate of both transports (WebSocket and HTTP fallback). Everything that can be
 * decided without waiting — draining, board id, Origin allow-list, per-board and per-IP caps — is
 * decided synchronously, BEFORE the token check awaits storage. So a client that goes away while its
 * token is checked already holds a slot, and the transport's close handler (registered before the
 * await too) gives it back: no path leaves a slot behind. The token check itself is bounded in time.
 */
import { CloseCode } from '../../lib/protocol/close-codes';
import type { AuthResult, BoardAuth } from '../auth/board-auth';
import type { Logger } from '../logger';
import type { Metrics, RejectReason } from '../metrics/metrics';
import type { AdmissionControl } from './admission';

export type GateRefusal = { ok: false; code: number; reason: string; kind: RejectReason };

/** How long a token check may take before the client is told to come back (1013). */
const AUTHORIZE_TIMEOUT_MS = 10_000;

export class ConnectionGate {
  private accepting = true;

  constructor(
    private readonly admission: AdmissionControl,
    /** null = everyone is an editor (embedding/tests only). */
    private readonly auth: BoardAuth | null,
    private readonly log: Logger,
    private readonly metrics: Metrics | null,
    private readonly authorizeTimeoutMs = AUTHORIZE_TIMEOUT_MS,
  ) {}

  /** Shutdown: every later enter() is refused with 1012. */
  stop(): void {
    this.accepting = false;
  }

  /**
   * Synchronous checks. On `{ ok: true }` the caller holds one slot for (boardId, ip) and must call
   * leave(boardId, ip) exactly once, whatever happens next (refused token, client gone, closed).
   */
  enter(boardId: string | null, ip: string, origin: string | undefined): { ok: true; boardId: string } | GateRefusal {
    if (!this.accepting) return this.refuse('draining', CloseCode.ServiceRestart, 'server restarting');
    if (!boardId) return this.refuse('invalid_board_id', CloseCode.InvalidBoardId, 'invalid board id');
    const refused = this.admission.enter(boardId, ip, origin);
    if (refused) return this.refuse(refused.reason, refused.code, refused.message);
    return { ok: true, boardId };
  }

  leave(boardId: string, ip: string): void {
    this.admission.leave(boardId, ip);
  }

  /** The token check, after enter(). Never rejects: storage errors and timeouts become refusals. */
  async authorize(boardId: string, token: string | null): Promise<AuthResult> {
    if (!this.auth) return { ok: true, grant: { boardId, role: 'editor', name: 'Anonymous', link: null } };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<AuthResult>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, code: CloseCode.TryAgainLater, reason: 'authorization timed out' }), this.authorizeTimeoutMs);
    });
    try {
      const result = await Promise.race([this.auth.authorize(boardId, token), timedOut]);
      if (!result.ok) this.metrics?.rejected('unauthorized');
      return result;
    } catch (err) {
      this.metrics?.error('storage');
      this.log.error({ err, boardId }, 'authorization failed');
      return { ok: false, code: 1011, reason: 'authorization failed' };
    } finally {
      clearTimeout(timer);
    }
  }

  private refuse(kind: RejectReason, code: number, reason: string): GateRefusal {
    this.metrics?.rejected(kind);
    return { ok: false, code, reason, kind };
  }
}
