/**
 * Hostile peers on real sockets: fragment and ping floods, bytes sent during the close wait, a
 * peer that never reads its pongs, and a handler that throws. Every frame counts and nothing a
 * peer sends is held without bound.
 */
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Metrics } from '../../metrics/metrics';
import type { RunningServer } from '../../start-server';
import { makeTempDir, startTestServer, testToken, waitFor } from '../../testing/helpers';
import { OP_BINARY, OP_CLOSE, OP_CONTINUATION, OP_PING, OP_PONG } from './frame-parser';
import { bytes, clientFrame } from './test-frames';
import { WireClient } from './wire-client';

const MiB = 1024 * 1024;
let server: RunningServer;
/** Answers pings without rate limits in the way, and calls a peer slow early. */
let lenient: RunningServer;
const dirs: ReturnType<typeof makeTempDir>[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  dirs.push(makeTempDir(), makeTempDir());
  const quiet = { heartbeatTickMs: 60_000, idleFrameAfterMs: 60_000 };
  // default rate limits (300 frames/s, burst 600; 4 MiB/s)
  server = await startTestServer(dirs[0].dir, { ...quiet, maxMessageBytes: 64 * 1024 });
  lenient = await startTestServer(dirs[1].dir, {
    ...quiet,
    rateLimitMessagesPerSec: 10_000_000,
    rateLimitBytesPerSec: 4096 * MiB,
    maxBufferedBytes: 16 * 1024,
  });
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all([server.close(), lenient.close()]);
  for (const d of dirs) d.remove();
});

const board = (name: string) => `/${name}?token=${testToken(name)}`;

async function opened(on: RunningServer, path: string): Promise<WireClient> {
  const w = new WireClient(on.url, path);
  sockets.push(w.socket);
  w.socket.on('error', () => {}); // a flooding client may be reset
  expect((await w.status()).split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
  return w;
}

async function metric(on: RunningServer, series: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${new URL(on.url).port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const EMPTY = new Uint8Array(0);

describe('every frame counts', () => {
  it('closes a flood of empty continuation frames with 4529 (fragments are frames for the rate limit)', async () => {
    const w = await opened(server, board('flood-fragments'));
    const empty = clientFrame(OP_CONTINUATION, EMPTY, { fin: false });
    w.socket.write(Buffer.concat([clientFrame(OP_BINARY, bytes(3), { fin: false }), ...Array.from({ length: 1000 }, () => empty)]));
    await w.until('close frame', () => w.closeFrame() !== null);
    expect(w.closeFrame()).toEqual({ code: 4529, reason: 'rate limit exceeded' });
  });

  it('closes a ping flood with 4529 and answers none after that', async () => {
    const w = await opened(server, board('flood-pings'));
    const ping = clientFrame(OP_PING, bytes(4));
    w.socket.write(Buffer.concat(Array.from({ length: 2000 }, () => ping)));
    await w.until('close frame', () => w.closeFrame() !== null);
    expect(w.closeFrame()?.code).toBe(4529);
    // the burst (600) plus what refilled while the read was handled; then none
    const pongs = w.frames.filter((f) => f.opcode === OP_PONG).length;
    expect(pongs).toBeGreaterThanOrEqual(600);
    expect(pongs).toBeLessThan(1000);
    expect(w.frames.findIndex((f) => f.opcode === OP_CLOSE)).toBe(w.frames.length - 1);
  });
});

describe('the close wait', () => {
  it('keeps nothing a refused client sends after our close frame, and still completes the close handshake', async () => {
    const w = await opened(server, '/bad%20id');
    await w.until('close frame', () => w.closeFrame() !== null);
    expect(w.closeFrame()?.code).toBe(4400);
    // 600 KB in 120 frames, messages of 50 KB: under the rate limits and the size caps, so only
    // the close wait itself is tested
    const part = bytes(5000);
    const message = [clientFrame(OP_BINARY, part, { fin: false }), ...Array.from({ length: 9 }, (_, i) => clientFrame(OP_CONTINUATION, part, { fin: i === 8 }))];
    const wire = Buffer.concat(Array.from({ length: 12 }, () => message).flat());
    const allocs = vi.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      w.socket.write(wire);
      // our close answer comes after the flood: when the server ends the TCP connection, it has read it all
      w.socket.write(clientFrame(OP_CLOSE, Buffer.from([0x11, 0x90])));
      await w.until('FIN', () => w.ended);
      const kept = allocs.mock.calls.reduce((sum, [size]) => sum + size, 0);
      expect(kept).toBeLessThan(64 * 1024);
    } finally {
      allocs.mockRestore();
    }
  });
});

describe('pongs', () => {
  it('queues no pong past the backlog bound: a client that pings and never reads is dropped with 4508', async () => {
    const before = await metric(lenient, 'commonboard_errors_total{kind="slow_client"}');
    const w = await opened(lenient, board('pong-backlog'));
    w.socket.pause();
    // 100k pongs of 127 bytes (~13 MB) is more than loopback buffers hold, so the server must decide
    const count = 100_000;
    const ping = clientFrame(OP_PING, bytes(125));
    await new Promise<void>((resolve) => w.socket.write(Buffer.concat(Array.from({ length: count }, () => ping)), () => resolve()));
    w.socket.resume();
    await w.closed;
    expect(await metric(lenient, 'commonboard_errors_total{kind="slow_client"}')).toBe(before + 1);
    expect(w.frames.filter((f) => f.opcode === OP_PONG).length).toBeLessThan(count);
    const close = w.closeFrame();
    if (close) expect(close.code).toBe(4508); // reaches us unless the grace ran out first (a loaded box)
  });
});

describe('a handler that throws', () => {
  it('closes only that socket with 1011 and counts a socket error; the server keeps serving', async () => {
    const before = await metric(server, 'commonboard_errors_total{kind="socket"}');
    const w = await opened(server, board('throws'));
    const boom = vi.spyOn(Metrics.prototype, 'frameIn').mockImplementationOnce(() => {
      throw new Error('injected handler failure');
    });
    try {
      w.socket.write(clientFrame(OP_BINARY, Buffer.from([1, 0])));
      await w.until('close frame', () => w.closeFrame() !== null);
    } finally {
      boom.mockRestore();
    }
    expect(w.closeFrame()).toEqual({ code: 1011, reason: 'internal error' });
    await w.closed;
    expect(await metric(server, 'commonboard_errors_total{kind="socket"}')).toBe(before + 1);
    const next = await opened(server, board('throws'));
    next.socket.write(clientFrame(OP_PING, bytes(1)));
    await waitFor(() => next.frames.some((f) => f.opcode === OP_PONG), { what: 'pong from the same server' });
  });
});
