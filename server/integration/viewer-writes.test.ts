/**
 * A view link can never write. A viewer sends document writes in every encoding we can construct
 * — the stock ones and non-minimal varints for the message and sync types, which a check on raw
 * bytes would misread — over WebSocket and over the HTTP fallback. Nothing of it reaches another
 * client or storage (checked after a restart); the non-minimal frames are refused as malformed
 * (4422) for every role; editors' stock frames still work.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../lib/protocol/close-codes';
import { encodeFrameBatch } from '../../lib/sync/frames';
import type { RunningServer } from '../start-server';
import { connectClient, makeTempDir, rawClient, startTestServer, testToken, waitFor } from '../testing/helpers';
import { openSseStream } from '../testing/sse';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** An update that sets `hack.<key>` on any board. */
function hostileUpdate(key: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('hack').set(key, 'written by a viewer');
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

function varUint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f));
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** `head • varUint(len) • payload`. */
function frame(head: number[], payload: Uint8Array): Uint8Array {
  return Uint8Array.from([...head, ...varUint(payload.length), ...payload]);
}

/** Every way to say "sync step 2" or "update" that a lenient LEB128 reader accepts. */
const ENCODINGS: { name: string; head: number[]; stock: boolean }[] = [
  { name: 'update', head: [0, 2], stock: true },
  { name: 'step 2', head: [0, 1], stock: true },
  { name: 'update, type as [0x80 0x00]', head: [0x80, 0x00, 2], stock: false },
  { name: 'update, type as [0x80 0x80 0x00]', head: [0x80, 0x80, 0x00, 2], stock: false },
  { name: 'update, sync type as [0x82 0x00]', head: [0, 0x82, 0x00], stock: false },
  { name: 'step 2, sync type as [0x81 0x80 0x00]', head: [0, 0x81, 0x80, 0x00], stock: false },
  { name: 'step 2, both padded', head: [0x80, 0x00, 0x81, 0x00], stock: false },
];

/** A non-minimal payload length is refused too: `[len | 0x80, 0x00]` for a payload under 128 bytes. */
function paddedLength(head: number[], payload: Uint8Array): Uint8Array {
  if (payload.length > 0x7f) throw new Error('payload too long for this padding');
  return Uint8Array.from([...head, 0x80 | payload.length, 0x00, ...payload]);
}

async function server(): Promise<{ s: RunningServer; dir: string }> {
  const data = makeTempDir();
  cleanups.push(data.remove);
  const s = await startTestServer(data.dir);
  cleanups.push(() => s.close());
  return { s, dir: data.dir };
}

/** A stock editor on the board that records every key it ever sees in `hack`. */
function watcher(s: RunningServer, board: string) {
  const client = connectClient(s.url, board);
  cleanups.push(() => client.destroy());
  const seen = new Set<string>();
  client.doc.getMap('hack').observe((e) => e.keysChanged.forEach((k) => seen.add(k)));
  return { client, seen };
}

async function storedKeys(dir: string, board: string): Promise<string[]> {
  const s = await startTestServer(dir);
  try {
    const client = connectClient(s.url, board);
    await waitFor(() => client.provider.synced, { what: 'synced after restart' });
    const keys = [...client.doc.getMap('hack').keys()];
    client.destroy();
    return keys;
  } finally {
    await s.close();
  }
}

describe('viewer writes over WebSocket', () => {
  it('are dropped in every stock encoding and refused (4422) in every non-minimal one; storage never sees them', async () => {
    const { s, dir } = await server();
    const board = 'viewer-ws';
    const { client, seen } = watcher(s, board);
    await waitFor(() => client.provider.synced, { what: 'watcher synced' });

    for (const [i, enc] of ENCODINGS.entries()) {
      const viewer = rawClient(`${s.url}/${board}?token=${testToken(board, { role: 'viewer' })}`);
      cleanups.push(() => viewer.ws.terminate());
      await viewer.opened;
      viewer.ws.send(frame(enc.head, hostileUpdate(`ws-${i}`)));
      if (enc.stock) {
        // dropped silently: the stock viewer client sends step 2 on every connect
        viewer.ws.send(Uint8Array.from([0, 0, 1, 0])); // step 1 (empty state vector) afterwards: answered only if the socket lives on
        await waitFor(() => viewer.messages.some((m) => m[0] === 0 && m[1] === 1), { what: `${enc.name}: step 2 answer` });
      } else {
        expect(await viewer.closed, enc.name).toEqual({ code: CloseCode.MalformedMessage, reason: 'malformed message' });
      }
      viewer.ws.terminate();
    }
    const padded = rawClient(`${s.url}/${board}?token=${testToken(board, { role: 'viewer' })}`);
    cleanups.push(() => padded.ws.terminate());
    await padded.opened;
    padded.ws.send(paddedLength([0, 2], hostileUpdate('ws-padded-length')));
    expect((await padded.closed).code).toBe(CloseCode.MalformedMessage);

    // an editor's write after all that arrives: the watcher is live and would have seen the others
    await onlyTheEditorsWrite(s, dir, board, seen);
  });

  it('non-minimal encodings are malformed for editors too, and nothing of them is applied', async () => {
    const { s, dir } = await server();
    const board = 'editor-padded';
    for (const [i, enc] of ENCODINGS.filter((e) => !e.stock).entries()) {
      const editor = rawClient(`${s.url}/${board}`);
      cleanups.push(() => editor.ws.terminate());
      await editor.opened;
      editor.ws.send(frame(enc.head, hostileUpdate(`padded-${i}`)));
      expect((await editor.closed).code, enc.name).toBe(CloseCode.MalformedMessage);
    }
    await s.close();
    expect(await storedKeys(dir, board)).toEqual([]);
  });
});

/** Opens a fallback stream and returns its events and a way to POST frames on its session. */
async function fallbackSession(s: RunningServer, board: string, role: 'editor' | 'viewer') {
  const url = `http://127.0.0.1:${s.port}/fallback/${board}`;
  const { events } = await openSseStream(`${url}?token=${testToken(board, { role })}`, {}, (abort) => cleanups.push(abort));
  await waitFor(() => events.some((e) => e.event === 'open'), { what: 'fallback open' });
  const session = events.find((e) => e.event === 'open')!.data;
  const post = (frames: Uint8Array[]) => fetch(`${url}/${session}`, { method: 'POST', body: Buffer.from(encodeFrameBatch(frames)) });
  return { events, post };
}

/** Ends a viewer test: an editor's write arrives (so the watcher was live), and storage holds only it. */
async function onlyTheEditorsWrite(s: RunningServer, dir: string, board: string, seen: Set<string>): Promise<void> {
  const editor = connectClient(s.url, board);
  cleanups.push(() => editor.destroy());
  editor.doc.getMap('hack').set('editor', 'ok');
  await waitFor(() => seen.has('editor'), { what: "editor's write relayed" });
  expect([...seen]).toEqual(['editor']);
  await s.close();
  expect(await storedKeys(dir, board)).toEqual(['editor']);
}

describe('viewer writes over the HTTP fallback', () => {
  it('are dropped or refused exactly as over WebSocket; storage never sees them', async () => {
    const { s, dir } = await server();
    const board = 'viewer-http';
    const { client, seen } = watcher(s, board);
    await waitFor(() => client.provider.synced, { what: 'watcher synced' });

    for (const [i, enc] of ENCODINGS.entries()) {
      const viewer = await fallbackSession(s, board, 'viewer');
      const res = await viewer.post([frame(enc.head, hostileUpdate(`http-${i}`))]);
      expect(res.status, enc.name).toBe(enc.stock ? 204 : 410);
      if (!enc.stock) {
        await waitFor(() => viewer.events.some((e) => e.event === 'close'), { what: `${enc.name}: close event` });
        expect(viewer.events.find((e) => e.event === 'close')!.data).toBe(`${CloseCode.MalformedMessage} malformed message`);
      }
    }
    await onlyTheEditorsWrite(s, dir, board, seen);
  });
});
