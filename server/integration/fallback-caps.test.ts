/**
 * Connection caps hold across transports: WebSocket and HTTP-fallback connections share one
 * AdmissionControl (start-server.ts), so mixing them cannot double the per-board or per-IP cap.
 * Real sockets and real HTTP streams against a server in this process.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../lib/protocol/close-codes';
import type { RunningServer } from '../start-server';
import { makeTempDir, rawClient, startTestServer, testToken, waitFor, type RawClient } from '../testing/helpers';

let boardCapped: RunningServer;
let ipCapped: RunningServer;
const dirs: ReturnType<typeof makeTempDir>[] = [];
const cleanup: (() => void)[] = [];

interface Stream {
  /** The first SSE event: `open` when admitted, `close` (with "<code> <reason>") when refused. */
  first: Promise<{ event: string; data: string }>;
  abort(): void;
}

/** Opens a fallback stream and resolves with its first event; keeps reading (leaving the loop would cancel the stream). */
function fallbackStream(s: RunningServer, boardId: string): Stream {
  const controller = new AbortController();
  cleanup.push(() => controller.abort());
  const first = new Promise<{ event: string; data: string }>((resolve, reject) => {
    void (async () => {
      const res = await fetch(`http://127.0.0.1:${s.port}/fallback/${boardId}?token=${testToken(boardId)}`, { signal: controller.signal });
      let buffer = '';
      for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        const end = buffer.indexOf('\n\n');
        if (end < 0) continue;
        const block = buffer.slice(0, end);
        resolve({ event: /^event: (.*)$/m.exec(block)?.[1] ?? 'message', data: /^data: (.*)$/m.exec(block)?.[1] ?? '' });
      }
      reject(new Error('stream ended without an event'));
    })().catch(reject);
  });
  first.catch(() => {}); // aborted at cleanup
  return { first, abort: () => controller.abort() };
}

function socket(s: RunningServer, boardId: string): RawClient {
  const client = rawClient(`${s.url}/${boardId}`);
  client.closed.catch(() => {});
  cleanup.push(() => client.ws.terminate());
  return client;
}

/** Admitted sockets stay open; refused ones are closed by the server right after the upgrade. */
async function admittedSocket(s: RunningServer, boardId: string): Promise<RawClient> {
  const client = socket(s, boardId);
  await client.opened;
  return client;
}

beforeAll(async () => {
  dirs.push(makeTempDir(), makeTempDir());
  boardCapped = await startTestServer(dirs[0].dir, { maxConnectionsPerBoard: 3, maxConnectionsPerIp: 100 });
  ipCapped = await startTestServer(dirs[1].dir, { maxConnectionsPerBoard: 100, maxConnectionsPerIp: 3 });
});

afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

afterAll(async () => {
  await boardCapped.close();
  await ipCapped.close();
  for (const d of dirs) d.remove();
});

describe('connection caps across WebSocket and HTTP fallback', () => {
  it('the per-board cap counts both transports, and a closed fallback stream frees its place', async () => {
    const board = 'caps-board';
    await admittedSocket(boardCapped, board);
    await admittedSocket(boardCapped, board);
    const stream = fallbackStream(boardCapped, board);
    expect((await stream.first).event).toBe('open');
    await waitFor(() => boardCapped.connectionCount() === 3, { what: 'three connections counted' });

    // the board is full: a fourth connection is refused on either transport
    const refusedWs = socket(boardCapped, board);
    expect(await refusedWs.closed).toEqual({ code: CloseCode.TryAgainLater, reason: 'too many connections to this board' });
    const refusedHttp = fallbackStream(boardCapped, board);
    expect(await refusedHttp.first).toEqual({ event: 'close', data: `${CloseCode.TryAgainLater} too many connections to this board` });

    // the fallback client leaves: its place goes to the next WebSocket
    stream.abort();
    await waitFor(() => boardCapped.connectionCount() === 2, { what: 'fallback stream released', timeout: 20_000 });
    const next = await admittedSocket(boardCapped, board);
    expect(next.ws.readyState).toBe(next.ws.OPEN);
  });

  it('the per-IP cap counts both transports across boards', async () => {
    expect((await fallbackStream(ipCapped, 'ip-a').first).event).toBe('open');
    expect((await fallbackStream(ipCapped, 'ip-b').first).event).toBe('open');
    await admittedSocket(ipCapped, 'ip-c');
    await waitFor(() => ipCapped.connectionCount() === 3, { what: 'three connections counted' });

    const refusedWs = socket(ipCapped, 'ip-d');
    expect(await refusedWs.closed).toEqual({ code: CloseCode.TryAgainLater, reason: 'too many connections from this address' });
    expect(await fallbackStream(ipCapped, 'ip-e').first).toEqual({
      event: 'close',
      data: `${CloseCode.TryAgainLater} too many connections from this address`,
    });
  });
});
