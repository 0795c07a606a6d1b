/**
 * Backpressure: a client that stops reading must not make the server buffer without bound. Its
 * socket is dropped (4508, transient) once the unsent backlog passes maxBufferedBytes, while a
 * normal reader on the same board gets everything, and the dropped client can resync later.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { rawClient, connectClient, makeTempDir, startTestServer, waitFor } from '../testing/helpers';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const MiB = 1024 * 1024;

async function metric(port: number, series: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('backpressure', () => {
  it('drops a client that stops reading once its backlog passes maxBufferedBytes; readers and a later resync get everything', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const server = await startTestServer(tmp.dir, {
      drainMs: 0,
      maxBufferedBytes: 1 * MiB,
      rateLimitBytesPerSec: 512 * MiB,
      rateLimitMessagesPerSec: 10_000,
    });
    cleanups.push(() => server.close());
    const board = 'backpressure';

    const slow = rawClient(`${server.url}/${board}`);
    cleanups.push(() => slow.ws.terminate());
    await slow.opened;
    await waitFor(() => slow.messages.length > 0, { what: 'server step 1 to the slow client' });
    let slowClosed = false;
    void slow.closed.then(() => (slowClosed = true));
    slow.ws.pause(); // stops reading: the kernel buffers fill, then the server's

    const writer = connectClient(server.url, board);
    const reader = connectClient(server.url, board);
    cleanups.push(() => writer.destroy(), () => reader.destroy());
    await waitFor(() => writer.provider.synced && reader.provider.synced, { what: 'writer and reader synced' });
    expect(server.connectionCount()).toBe(3);

    // 48 x 256 KiB = 12 MiB (binary values: cheap for Yjs on a busy box), far past what loopback
    // socket buffers plus the 1 MiB bound can hold
    const blobs = writer.doc.getMap<Uint8Array>('blobs');
    for (let i = 0; i < 48; i++) blobs.set(`b${i}`, new Uint8Array(256 * 1024).fill(i));
    const expected = 48;
    const count = (c: { doc: Y.Doc }) => c.doc.getMap('blobs').size;

    await waitFor(() => count(reader) === expected, { what: 'reader got every update', timeout: 45_000 });
    await waitFor(async () => (await metric(server.port, 'commonboard_errors_total{kind="slow_client"}')) === 1, {
      what: 'slow client counted',
    });
    // dropped for real (not just marked): the server no longer holds its socket or backlog
    await waitFor(() => server.connectionCount() === 2, { what: 'slow socket released' });
    slow.ws.resume();
    await waitFor(() => slowClosed, { what: 'slow client sees its socket closed' });

    const late = connectClient(server.url, board, new Y.Doc());
    cleanups.push(() => late.destroy());
    await waitFor(() => count(late) === expected, { what: 'a fresh client resyncs everything', timeout: 45_000 });
    expect(await metric(server.port, 'commonboard_errors_total{kind="slow_client"}')).toBe(1);
  }, 120_000);
});
