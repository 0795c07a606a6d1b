/**
 * The frame of every board API route that acts on history or the board itself: cross-site refusal,
 * board id and version id validation, who is asking (board-access.ts), the role the action needs,
 * a per-board quota on writes (a script or a hostile editor cannot fill storage with versions or
 * loop restores), and one mapping of sync-server answers to HTTP.
 */
import { quotaFromEnv, TokenBuckets } from '../http/rate-limit';
import { boardAccess, mayReadHistory, mustEdit, type BoardAccess } from './board-access';
import { boardIdSchema, jsonError, refuseCrossSite, upstreamError } from './request';
import { SyncHistoryError } from './sync-history';

export type Need = 'read' | 'edit';
export type BoardParams = { params: Promise<{ boardId: string; versionId?: string }> };

/** HISTORY_WRITES_PER_BOARD_PER_HOUR (default 600; 0 = no limit): saves, restores, resets, deletes. */
export const DEFAULT_WRITES_PER_BOARD_PER_HOUR = 600;
let writes: TokenBuckets | null | undefined;

function writeQuota(): TokenBuckets | null {
  if (writes === undefined) {
    const perHour = quotaFromEnv('HISTORY_WRITES_PER_BOARD_PER_HOUR', process.env.HISTORY_WRITES_PER_BOARD_PER_HOUR, DEFAULT_WRITES_PER_BOARD_PER_HOUR);
    writes = perHour === null ? null : new TokenBuckets(perHour);
  }
  return writes;
}

const VERSION_ID = /^[1-9][0-9]{0,15}$/;

/** A version id from the path, or null if malformed. */
export function parseVersionId(raw: string | undefined): number | null {
  if (raw === undefined || !VERSION_ID.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}

export type BoardRequest = { boardId: string; versionId: number | null; access: BoardAccess };

export async function boardRoute(
  req: Request,
  ctx: BoardParams,
  need: Need,
  handle: (r: BoardRequest) => Promise<Response>,
): Promise<Response> {
  const refused = refuseCrossSite(req);
  if (refused) return refused;
  const params = await ctx.params;
  const boardId = boardIdSchema.safeParse(params.boardId);
  if (!boardId.success) return jsonError(400, 'invalid board id');
  let versionId: number | null = null;
  if (params.versionId !== undefined) {
    versionId = parseVersionId(params.versionId);
    if (versionId === null) return jsonError(400, 'invalid version id');
  }
  try {
    const access = await boardAccess(req, boardId.data);
    if (access instanceof Response) return access;
    const denied = need === 'edit' ? mustEdit(access) : mayReadHistory(access);
    if (denied) return denied;
    if (need === 'edit') {
      const taken = writeQuota()?.take(boardId.data, Date.now()) ?? { ok: true };
      if (!taken.ok) {
        return jsonError(429, `too many history changes on this board; try again in ${taken.retryAfterS} s`, { 'Retry-After': String(taken.retryAfterS) });
      }
    }
    return await handle({ boardId: boardId.data, versionId, access });
  } catch (err) {
    if (err instanceof SyncHistoryError) return jsonError(err.status, err.message);
    return upstreamError(err);
  }
}

export function noStoreJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}
