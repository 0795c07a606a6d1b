/**
 * The backlog bound (maxBufferedBytes) and big boards: a joiner's step 2 of a board larger than the
 * bound is a backlog by itself. It must not get the joiner dropped as "slow" when the next cursor
 * update goes out before it has read the board; once it has caught up, the bound applies again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, makeTempDir, rawClient, startTestServer, waitFor } from '../testing/helpers';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const MiB = 1024 * 1024;
const BLOB = 256 * 1024;
/** Sync, step 1, an empty state vector: "send me everything". */
const EMPTY_STEP1 = Uint8Array.from([0, 0, 1, 0]);

async function slowClientErrors(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const series = 'commonboard_errors_total{kind="slow_client"} ';
  const line = text.split('\n').find((l) => l.startsWith(series));
  return line ? Number(line.slice(series.length)) : 0;
}

/** A server whose backlog bound is far below the board; rate limits out of the way of 256 KiB edits. */
async function startBoundedServer() {
  const tmp = makeTempDir();
  const limits = { drainMs: 0, maxBufferedBytes: MiB, rateLimitBytesPerSec: 512 * MiB, rateLimitMessagesPerSec: 10_000 };
  const server = await startTestServer(tmp.dir, limits);
  cleanups.push(tmp.remove, () => server.close());
  return server;
}

function writeBlobs(doc: Y.Doc, from: number, count: number): void {
  const blobs = doc.getMap<Uint8Array>('blobs');
  for (let i = from; i < from + count; i++) blobs.set(`b${i}`, new Uint8Array(BLOB).fill(i % 256));
}

describe('backlog bound and sync replies', () => {
  it('keeps a joiner that has not yet read a board bigger than the bound, and drops it once it falls behind afterwards', async () => {
    const server = await startBoundedServer();
    const board = 'big-join';

    const writer = connectClient(server.url, board);
    const reader = connectClient(server.url, board);
    cleanups.push(() => writer.destroy(), () => reader.destroy());
    await waitFor(() => writer.provider.synced && reader.provider.synced, { what: 'writer and reader synced' });
    // 12 MiB: far more than loopback socket buffers plus the 1 MiB bound hold
    writeBlobs(writer.doc, 0, 48);
    await waitFor(() => reader.doc.getMap('blobs').size === 48, { what: 'reader has the board', timeout: 45_000 });

    const joiner = rawClient(`${server.url}/${board}`);
    cleanups.push(() => joiner.ws.terminate());
    await joiner.opened;
    joiner.ws.pause(); // not reading yet: the 12 MiB reply stays queued in the server
    joiner.ws.send(EMPTY_STEP1);
    // every cursor move the reader sees also went to the joiner, behind its queued reply
    for (let i = 0; i < 20; i++) {
      writer.provider.awareness.setLocalStateField('cursor', { x: i });
      await waitFor(() => (reader.provider.awareness.getStates().get(writer.doc.clientID) as { cursor?: { x: number } } | undefined)?.cursor?.x === i, {
        what: `reader sees cursor ${i}`,
        timeout: 20_000,
      });
    }
    expect(await slowClientErrors(server.port)).toBe(0);
    expect(server.connectionCount()).toBe(3);

    joiner.ws.resume();
    const joined = new Y.Doc();
    await waitFor(
      () => {
        for (const m of joiner.messages.splice(0)) {
          if (m[0] === 0 && m[1] === 1) Y.applyUpdate(joined, m.subarray(2 + varUintBytes(m, 2)));
        }
        return joined.getMap('blobs').size === 48;
      },
      { what: 'joiner received the whole board', timeout: 45_000 },
    );

    // caught up: the allowance is gone, and a joiner that stops reading now is dropped as before
    joiner.ws.pause();
    writer.provider.awareness.setLocalStateField('cursor', { x: -1 }); // a send that resets the allowance
    writeBlobs(writer.doc, 48, 48);
    await waitFor(() => reader.doc.getMap('blobs').size === 96, { what: 'reader got the second 12 MiB', timeout: 45_000 });
    await waitFor(async () => (await slowClientErrors(server.port)) === 1, { what: 'joiner dropped once behind', timeout: 20_000 });
    await waitFor(() => server.connectionCount() === 2, { what: 'slow socket released' });
  }, 150_000);
});

/** Bytes taken by the varUint at `pos`. */
function varUintBytes(bytes: Uint8Array, pos: number): number {
  let n = 1;
  while (bytes[pos + n - 1] >= 0x80) n++;
  return n;
}
