import { afterEach, describe, expect, it, vi } from 'vitest';
import { boardApi, BoardApiError } from './board-api';
import { useBoardSession } from './board-session';

vi.mock('./board-session', async (original) => ({
  ...(await original<typeof import('./board-session')>()),
  getBoardToken: () => 'the-token',
}));

afterEach(() => vi.unstubAllGlobals());

describe('boardApi: the app API with the session token', () => {
  it('sends the board token as a bearer and JSON bodies; throws the server’s {error} with the status', async () => {
    useBoardSession.setState({ boardId: 'board_1' });
    const fetchMock = vi.fn(async (url: string, init: RequestInit) => {
      void init;
      if (url.endsWith('/versions/9?format=yjs')) return Response.json({ error: 'version 9 is corrupt' }, { status: 422 });
      return Response.json({ ok: true }, { status: 201 });
    });
    vi.stubGlobal('fetch', fetchMock);

    await boardApi('/versions', { method: 'POST', json: { kind: 'pre-restore' } });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/boards/board_1/versions');
    expect(init.headers).toEqual({ authorization: 'Bearer the-token', 'content-type': 'application/json' });
    expect(init.body).toBe('{"kind":"pre-restore"}');

    const err = await boardApi('/versions/9', { query: { format: 'yjs' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BoardApiError);
    expect(err).toMatchObject({ status: 422, message: 'version 9 is corrupt (HTTP 422)' });
  });

  it('says so when the server cannot be reached', async () => {
    useBoardSession.setState({ boardId: 'board_1' });
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(boardApi('/versions')).rejects.toMatchObject({ status: 0, message: expect.stringContaining('could not be reached') });
  });
});
