/**
 * A pair of stock clients on their own board, used by the hardening tests to show that an attack
 * on one board leaves everyone else converging.
 */
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { boardIdFromUrl } from '../transport/ws';
import { connectClient, testToken, waitFor, type TestClient } from './helpers';

export interface HealthyPair {
  a: TestClient;
  b: TestClient;
  /** One edit each way, each awaited on the other side. */
  check(label: string): Promise<void>;
  destroy(): void;
}

export async function healthyPair(url: string, boardId = 'healthy-pair'): Promise<HealthyPair> {
  const a = connectClient(url, boardId);
  const b = connectClient(url, boardId);
  await waitFor(() => a.provider.synced && b.provider.synced, { what: 'healthy pair synced' });
  let n = 0;
  return {
    a,
    b,
    async check(label) {
      const key = `${label}#${n++}`;
      a.doc.getMap('health').set(key, 'a');
      await waitFor(() => b.doc.getMap('health').get(key) === 'a', { what: `healthy pair a->b after ${label}` });
      b.doc.getMap('health').set(key, 'b');
      await waitFor(() => a.doc.getMap('health').get(key) === 'b', { what: `healthy pair b->a after ${label}` });
    },
    destroy() {
      a.destroy();
      b.destroy();
    },
  };
}

export interface RawSocket {
  ws: WebSocket;
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  messages: Uint8Array[];
}

/** A bare socket with optional headers (Origin) and an editor token for the board, for hand-made frames. */
export function rawSocket(url: string, headers: Record<string, string> = {}): RawSocket {
  const parsed = new URL(url);
  const boardId = boardIdFromUrl(parsed.pathname);
  if (boardId) parsed.searchParams.set('token', testToken(boardId));
  const ws = new WebSocket(parsed.toString(), { headers });
  const messages: Uint8Array[] = [];
  ws.on('message', (d: Buffer) => messages.push(new Uint8Array(d)));
  ws.on('error', () => undefined); // a refused/closed socket is the expected outcome in these tests
  const opened = new Promise<void>((res) => ws.once('open', () => res()));
  const closed = new Promise<{ code: number; reason: string }>((res) =>
    ws.once('close', (code, reason) => res({ code, reason: reason.toString() })),
  );
  return { ws, opened, closed, messages };
}

/** `[1, varUint8Array(awareness update)]` built by hand, so tests can claim any client id. */
export function awarenessFrame(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(inner, e.clientId);
    encoding.writeVarUint(inner, e.clock);
    encoding.writeVarString(inner, JSON.stringify(e.state));
  }
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, 1);
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}
