/**
 * Quota on anonymous board creation (server only): BOARD_CREATE_PER_IP_PER_HOUR per client
 * (lib/http/client.ts `clientKey`, default 60) and BOARD_CREATE_TOTAL_PER_HOUR for the whole app
 * (default 1000), which bounds a client that forges its address. "0" turns a limit off. Counted in
 * this process's memory: a restart forgets, and several app processes each count their own.
 */
import { clientKey } from './client';
import { quotaFromEnv, TokenBuckets, type Take } from './rate-limit';

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_PER_IP_PER_HOUR = 60;
export const DEFAULT_TOTAL_PER_HOUR = 1000;
const TOTAL = 'total';

export class BoardCreationQuota {
  private readonly perClient: TokenBuckets | null;
  private readonly total: TokenBuckets | null;

  constructor(perClientPerHour: number | null, totalPerHour: number | null) {
    this.perClient = perClientPerHour === null ? null : new TokenBuckets(perClientPerHour);
    this.total = totalPerHour === null ? null : new TokenBuckets(totalPerHour, 1);
  }

  static fromEnv(env: Env): BoardCreationQuota {
    return new BoardCreationQuota(
      quotaFromEnv('BOARD_CREATE_PER_IP_PER_HOUR', env.BOARD_CREATE_PER_IP_PER_HOUR, DEFAULT_PER_IP_PER_HOUR),
      quotaFromEnv('BOARD_CREATE_TOTAL_PER_HOUR', env.BOARD_CREATE_TOTAL_PER_HOUR, DEFAULT_TOTAL_PER_HOUR),
    );
  }

  /** Takes one creation for `client` at `now`; a refusal costs nothing. */
  take(client: string, now: number): Take {
    const own = this.perClient?.take(client, now) ?? { ok: true };
    if (!own.ok) return own;
    const all = this.total?.take(TOTAL, now) ?? { ok: true };
    if (!all.ok) this.perClient?.refund(client);
    return all;
  }

  /** Gives the creation back (the board could not be created: not the client's fault). */
  refund(client: string): void {
    this.perClient?.refund(client);
    this.total?.refund(TOTAL);
  }
}

let quota: BoardCreationQuota | null = null;

/** The process's quota (read from the environment on first use) and the request's client key. */
export function boardCreationQuota(headers: Headers, env: Env = process.env): { quota: BoardCreationQuota; client: string } {
  quota ??= BoardCreationQuota.fromEnv(env);
  return { quota, client: clientKey(headers, env) };
}
