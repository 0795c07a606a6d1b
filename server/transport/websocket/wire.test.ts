/** The WebSocket layer on real sockets: handshake refusals, frames split/coalesced/fragmented, protocol errors, close handshake. */
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSyncStep1 } from '../../protocol/messages';
import type { RunningServer } from '../../start-server';
import { makeTempDir, startTestServer, testToken } from '../../testing/helpers';
import { OP_BINARY, OP_CLOSE, OP_CONTINUATION, OP_PING, OP_PONG } from './frame-parser';
import { acceptKey } from './handshake';
import { clientFrame, hugeHeader } from './test-frames';
import { KEY, WireClient } from './wire-client';

const MAX_BYTES = 64 * 1024;
let server: RunningServer;
let tmp: ReturnType<typeof makeTempDir>;
const sockets: Socket[] = [];

beforeAll(async () => {
  tmp = makeTempDir();
  server = await startTestServer(tmp.dir, { maxMessageBytes: MAX_BYTES, heartbeatTickMs: 60_000, idleFrameAfterMs: 60_000 });
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await server.close();
  tmp.remove();
});

/** A hand-driven client on this file's server. */
class Wire extends WireClient {
  constructor(path: string, headers: Record<string, string> = {}, method = 'GET') {
    super(server.url, path, headers, method);
    sockets.push(this.socket);
  }
}

const board = (name: string) => `/${name}?token=${testToken(name)}`;

async function opened(path: string): Promise<Wire> {
  const w = new Wire(path);
  expect((await w.status()).split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
  return w;
}

describe('handshake', () => {
  it('answers 101 with Sec-WebSocket-Accept and declines permessage-deflate', async () => {
    const w = new Wire(board('hs-ok'), { 'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits' });
    const response = await w.status();
    expect(response).toContain('HTTP/1.1 101');
    expect(response).toContain(`Sec-WebSocket-Accept: ${acceptKey(KEY)}`);
    expect(acceptKey(KEY)).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo='); // RFC 6455 1.3 example
    expect(response.toLowerCase()).not.toContain('extensions');
  });

  it('echoes the first subprotocol a client asks for (as ws did)', async () => {
    const w = new Wire(board('hs-proto'), { 'Sec-WebSocket-Protocol': 'y1, y2' });
    const response = await w.status();
    expect(response).toContain('Sec-WebSocket-Protocol: y1');
    expect(response).not.toContain('y2');
  });

  it.each([
    ['no key', { 'Sec-WebSocket-Key': '' }, 'GET', 400],
    ['a key that is not 16 bytes', { 'Sec-WebSocket-Key': 'c2hvcnQ=' }, 'GET', 400],
    ['a non-GET method', {}, 'POST', 400],
    ['Upgrade other than websocket', { Upgrade: 'h2c' }, 'GET', 400],
    ['version 8', { 'Sec-WebSocket-Version': '8' }, 'GET', 426],
  ])('refuses %s at the HTTP level', async (_name, headers, method, status) => {
    const w = new Wire(board('hs-bad'), headers, method);
    const response = await w.status();
    expect(response.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    if (status === 426) expect(response).toContain('Sec-WebSocket-Version: 13');
    await w.closed;
  });

  it('still completes the upgrade for a bad board id, then closes with 4400', async () => {
    const w = await opened('/bad%20id');
    await w.until('close frame', () => w.closeFrame() !== null);
    expect(w.closeFrame()).toEqual({ code: 4400, reason: 'invalid board id' });
  });
});

describe('frames on the wire', () => {
  it('answers a ping split into single bytes, and two coalesced pings with two pongs', async () => {
    const w = await opened(board('wire-ping'));
    const ping = clientFrame(OP_PING, Buffer.from('abc'));
    for (const byte of ping) {
      w.socket.write(Buffer.from([byte]));
      await new Promise((r) => setTimeout(r, 2));
    }
    await w.until('pong', () => w.frames.some((f) => f.opcode === OP_PONG));
    w.socket.write(Buffer.concat([clientFrame(OP_PING, Buffer.from('1')), clientFrame(OP_PING, Buffer.from('2'))]));
    await w.until('3 pongs', () => w.frames.filter((f) => f.opcode === OP_PONG).length === 3);
    expect(w.frames.filter((f) => f.opcode === OP_PONG).map((f) => f.payload.toString())).toEqual(['abc', '1', '2']);
  });

  it('takes a message fragmented across writes with a ping between fragments', async () => {
    const w = await opened(board('wire-frag'));
    const step1 = encodeSyncStep1(new Uint8Array([0]));
    const wire = Buffer.concat([
      clientFrame(OP_BINARY, step1.subarray(0, 1), { fin: false }),
      clientFrame(OP_PING, Buffer.from('p')),
      clientFrame(OP_CONTINUATION, step1.subarray(1)),
    ]);
    w.socket.write(wire.subarray(0, 9));
    await new Promise((r) => setTimeout(r, 20));
    w.socket.write(wire.subarray(9));
    // the server answers a sync step 1 with its step 2 (message type 0, sync type 1)
    await w.until('step 2', () => w.frames.some((f) => f.opcode === OP_BINARY && f.payload[0] === 0 && f.payload[1] === 1));
    expect(w.frames.some((f) => f.opcode === OP_PONG)).toBe(true);
    expect(w.closeFrame()).toBeNull();
  });

  it.each([
    ['an unmasked frame', clientFrame(OP_BINARY, Buffer.from([0, 0]), { masked: false }), 1002],
    ['an unknown opcode', clientFrame(0x5, Buffer.from([0])), 1002],
    ['reserved bits (a deflate frame we did not agree to)', clientFrame(OP_BINARY, Buffer.from([0]), { rsv: 4 }), 1002],
    ['a 64-bit length over the cap', hugeHeader(0, MAX_BYTES * 2 + 1), 1009],
    ['a 64-bit length of 2^40', hugeHeader(256, 0), 1009],
  ])('closes on %s with %i and ends the TCP connection', async (_name, frame, code) => {
    const w = await opened(board('wire-bad'));
    w.socket.write(frame);
    await w.closed;
    expect(w.closeFrame()?.code).toBe(code);
  });

  it('closes an oversize frame under the hard cap with 4413 (the transport limit, as before)', async () => {
    const w = await opened(board('wire-4413'));
    w.socket.write(clientFrame(OP_BINARY, new Uint8Array(MAX_BYTES + 1)));
    await w.until('close frame', () => w.closeFrame() !== null);
    expect(w.closeFrame()).toEqual({ code: 4413, reason: 'message too large' });
  });

  it('echoes a client close and closes the TCP connection first', async () => {
    const w = await opened(board('wire-close'));
    w.socket.write(clientFrame(OP_CLOSE, Buffer.from([0x03, 0xe8])));
    await w.until('FIN', () => w.ended);
    expect(w.closeFrame()).toEqual({ code: 1000, reason: '' });
  });

  it('destroys a socket that never answers our close frame (shared close timer)', { timeout: 10_000 }, async () => {
    const w = await opened('/bad%20id');
    w.socket.on('end', () => {}); // half-open on our side: we neither answer nor end
    const started = Date.now();
    await w.until('close frame', () => w.closeFrame() !== null);
    await w.closed;
    expect(Date.now() - started).toBeLessThan(8000);
  });
});
