/**
 * The app API of the open board (`/api/boards/<id>…`), called with the session's board token as
 * `Authorization: Bearer`: the token already says who we are and what we may do, so the routes need
 * no share-link key. Errors come back as `{ error }` JSON and are thrown as BoardApiError.
 */
import { getBoardToken, useBoardSession } from './board-session';

export class BoardApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
  ) {
    super(message);
  }
}

export type BoardApiRequest = { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; json?: unknown; query?: Record<string, string> };

async function errorOf(res: Response): Promise<BoardApiError> {
  const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
  const detail = typeof body?.error === 'string' ? body.error : res.statusText || 'request failed';
  return new BoardApiError(`${detail} (HTTP ${res.status})`, res.status);
}

/** Calls `/api/boards/<open board><path>`; resolves with the response when it is 2xx. */
export async function boardApi(path: string, request: BoardApiRequest = {}): Promise<Response> {
  const boardId = useBoardSession.getState().boardId;
  const token = getBoardToken();
  if (!boardId) throw new BoardApiError('no board is open', 0);
  if (!token) throw new BoardApiError('not signed in to this board yet', 0);
  const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (request.json !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/boards/${encodeURIComponent(boardId)}${path}${query}`, {
      method: request.method ?? 'GET',
      headers,
      body: request.json === undefined ? undefined : JSON.stringify(request.json),
      cache: 'no-store',
    });
  } catch (err) {
    throw new BoardApiError(`the server could not be reached (${err instanceof Error ? err.message : String(err)})`, 0);
  }
  if (!res.ok) throw await errorOf(res);
  return res;
}

/** Moves the open board to the trash (editors): everyone on it is disconnected with 4410. */
export async function deleteBoard(): Promise<void> {
  await boardApi('', { method: 'DELETE' });
}
