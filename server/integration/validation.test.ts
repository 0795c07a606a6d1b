/** Untrusted input: bad board ids (4400), malformed frames (4422), oversized frames (4413); health; heartbeat. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../lib/protocol/close-codes';
import { encodeSyncStep2, encodeSyncUpdate } from '../protocol/messages';
import type { RunningServer } from '../start-server';
import { connectClient, makeTempDir, rawClient, startTestServer, waitFor, type TestClient } from '../testing/helpers';

const MAX_BYTES = 64 * 1024;
let server: RunningServer;
let tmp: ReturnType<typeof makeTempDir>;
const clients: TestClient[] = [];
const client = (board: string) => {
  const c = connectClient(server.url, board);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  tmp = makeTempDir();
  server = await startTestServer(tmp.dir, { maxMessageBytes: MAX_BYTES, heartbeatTickMs: 50, idleFrameAfterMs: 200 });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.close();
  tmp.remove();
});

async function closeCodeFor(path: string, frame?: Uint8Array): Promise<{ code: number; reason: string }> {
  const raw = rawClient(`${server.url}${path}`);
  if (frame) {
    await raw.opened;
    raw.ws.send(frame);
  }
  return raw.closed;
}

describe('board ids', () => {
  it.each(['/', '/bad%20id', `/${'a'.repeat(65)}`, '/a/b', '/%E0%A4%A', '/..%2Fetc'])('refuses %s with 4400 after the upgrade', async (path) => {
    const closed = await closeCodeFor(path);
    expect(closed.code).toBe(CloseCode.InvalidBoardId);
    expect(closed.reason).toBe('invalid board id');
  });

  it('ignores the query string', async () => {
    const raw = rawClient(`${server.url}/query-ok?unrelated=1`);
    await waitFor(() => raw.messages.length > 0, { what: 'server step 1' });
    expect([...raw.messages[0].slice(0, 2)]).toEqual([0, 0]);
    raw.ws.close();
    await raw.closed;
  });
});

describe('malformed frames', () => {
  const update = (() => {
    const d = new Y.Doc();
    d.getText('t').insert(0, 'some text to delete later');
    d.getText('t').delete(0, 5);
    return Y.encodeStateAsUpdate(d);
  })();
  const cases: [string, Uint8Array][] = [
    ['empty frame', new Uint8Array([])],
    ['unknown message type', new Uint8Array([7])],
    ['truncated varint', new Uint8Array([0, 0x80])],
    ['bad sync sub-type', new Uint8Array([0, 9, 0])],
    ['garbage update bytes', new Uint8Array([0, 2, 5, 0xde, 0xad, 0xbe, 0xef, 0x01])],
    ['truncated valid update (tail cut)', encodeSyncUpdate(update.slice(0, update.length - 2))],
    ['truncated step 2', encodeSyncStep2(update.slice(0, update.length - 2))],
  ];

  it('close only the offending connection with 4422; the board and its clients carry on', async () => {
    const a = client('hardened');
    const b = client('hardened');
    await waitFor(() => a.provider.synced && b.provider.synced, { what: 'synced' });
    a.doc.getMap('m').set('before', 1);
    await waitFor(() => b.doc.getMap('m').get('before') === 1, { what: 'first edit' });

    for (const [name, frame] of cases) {
      const closed = await closeCodeFor('/hardened', frame);
      expect(closed.code, name).toBe(CloseCode.MalformedMessage);
      b.doc.getMap('m').set(name, true);
      await waitFor(() => a.doc.getMap('m').get(name) === true, { what: `edit after ${name}` });
    }

    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
    expect(a.doc.getText('t').toString()).toBe(''); // nothing of the truncated update got in
    const fresh = client('hardened');
    await waitFor(() => fresh.provider.synced && fresh.doc.getMap('m').size === cases.length + 1, { what: 'fresh load' });
    expect(fresh.doc.getMap('m').toJSON()).toEqual(a.doc.getMap('m').toJSON());
    expect(fresh.doc.getText('t').toString()).toBe('');
  });

  it('closes text frames with 4422', async () => {
    const raw = rawClient(`${server.url}/text-frame`);
    await raw.opened;
    raw.ws.send('hello');
    expect((await raw.closed).code).toBe(CloseCode.MalformedMessage);
  });

  it('closes oversized frames with 4413', async () => {
    const big = new Uint8Array(MAX_BYTES + 1);
    big[0] = 3;
    expect((await closeCodeFor('/too-big', big)).code).toBe(CloseCode.TooLarge);
  });
});

describe('http', () => {
  const base = () => `http://127.0.0.1:${server.port}`;

  it('answers /healthz with JSON and no CORS (probes are not browsers; see ops-http.test.ts)', async () => {
    const res = await fetch(`${base()}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const body = (await res.json()) as { status: string; boards: number };
    expect(body.status).toBe('ok');
    expect(typeof body.boards).toBe('number');
  });

  it('404s everything else', async () => {
    expect((await fetch(`${base()}/nope`)).status).toBe(404);
    expect((await fetch(`${base()}/`)).status).toBe(404);
  });
});

describe('keep-alive', () => {
  it('sends the empty awareness frame [1,1,0] to an idle socket', async () => {
    const raw = rawClient(`${server.url}/idle-board`);
    await raw.opened;
    await waitFor(() => raw.messages.some((m) => m.length === 3 && m[0] === 1 && m[1] === 1 && m[2] === 0), {
      what: 'heartbeat frame',
    });
    raw.ws.close();
    await raw.closed;
  });
});
