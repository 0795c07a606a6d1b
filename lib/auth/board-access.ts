/**
 * Who may do what on a board, for the app's board API routes (history, reset, delete): the caller
 * shows either a board token (`Authorization: Bearer <token>`: the browser's session token or one
 * from `npm run token`) or a share-link key (`X-Board-Key: <key>`, for scripts holding a link).
 * A token bound to a share link stops working when that link is rotated, as on the socket.
 */
import { keySchema, jsonError } from './request';
import { appAuthSecret, getBoardLinks, resolveKey } from './sync-api';
import { verifyBoardToken, type Role } from './token';

export type BoardAccess = { role: Role; name: string };

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function unauthorized(message: string): Response {
  return jsonError(401, message, { 'WWW-Authenticate': 'Bearer' });
}

/** The caller's role on `boardId`, or a 401/403 Response. Throws SyncApiError if the sync server is down. */
export async function boardAccess(req: Request, boardId: string): Promise<BoardAccess | Response> {
  const header = req.headers.get('authorization');
  const key = req.headers.get('x-board-key');
  if (header !== null) {
    const token = BEARER.exec(header)?.[1];
    const verified = await verifyBoardToken(appAuthSecret(), token);
    if (!verified.ok) return unauthorized(verified.reason === 'expired' ? 'token expired' : 'invalid token');
    const { claims } = verified;
    if (claims.board !== boardId) return jsonError(403, 'token is for another board');
    if (claims.lv !== undefined) {
      const links = await getBoardLinks(boardId);
      const kind = claims.role === 'editor' ? 'edit' : 'view';
      if (!links || links[kind].version !== claims.lv) return unauthorized('the link this token came from was rotated');
    }
    return { role: claims.role, name: claims.name };
  }
  if (key !== null) {
    if (!keySchema.safeParse(key).success) return unauthorized('malformed key');
    const grant = await resolveKey(boardId, key);
    if (!grant) return jsonError(403, 'this link no longer works');
    return { role: grant.role, name: 'API' };
  }
  return unauthorized('send Authorization: Bearer <board token> or X-Board-Key: <share-link key>');
}

/** Viewers may read a board's history unless HISTORY_VIEWERS=0. */
export function viewersSeeHistory(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const raw = env.HISTORY_VIEWERS?.trim();
  if (raw === undefined || raw === '' || raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new Error(`HISTORY_VIEWERS must be 1 or 0, got "${env.HISTORY_VIEWERS}"`);
}

/** The caller may read history (editors always; viewers if allowed), else a 403 Response. */
export function mayReadHistory(access: BoardAccess): Response | null {
  if (access.role === 'editor' || viewersSeeHistory()) return null;
  return jsonError(403, 'viewers may not open the history of this board');
}

export function mustEdit(access: BoardAccess): Response | null {
  return access.role === 'editor' ? null : jsonError(403, 'only editors may do this');
}
