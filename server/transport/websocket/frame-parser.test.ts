import { describe, expect, it, vi } from 'vitest';
import { CLOSE_PROTOCOL_ERROR, CLOSE_TOO_BIG, EAGER_BYTES, FrameParser, OP_BINARY, OP_CLOSE, OP_CONTINUATION, OP_PING, OP_PONG, OP_TEXT } from './frame-parser';
import { bytes, clientFrame, hugeHeader } from './test-frames';

type Event =
  | { type: 'message'; data: Uint8Array; binary: boolean }
  | { type: 'ping'; data: Uint8Array }
  | { type: 'pong' }
  | { type: 'close'; code: number; reason: string }
  | { type: 'error'; code: number; reason: string };

class Recorder extends FrameParser {
  events: Event[] = [];
  feed(...chunks: Uint8Array[]): this {
    for (const c of chunks) this.parse(c);
    return this;
  }
  protected onMessage(data: Uint8Array, binary: boolean): void {
    this.events.push({ type: 'message', data, binary });
  }
  protected onPing(data: Uint8Array): void {
    this.events.push({ type: 'ping', data });
  }
  protected onPong(): void {
    this.events.push({ type: 'pong' });
  }
  protected onCloseFrame(code: number, reason: string): void {
    this.events.push({ type: 'close', code, reason });
  }
  protected onProtocolError(code: number, reason: string): void {
    this.events.push({ type: 'error', code, reason });
  }
}

const MAX = 100_000;
const parser = () => new Recorder(MAX);
const message = (data: Uint8Array, binary = true): Event => ({ type: 'message', data, binary });

describe('FrameParser', () => {
  it.each([0, 1, 125, 126, 65_535, 65_536, 99_999])('unmasks a %i-byte binary frame into its own buffer', (n) => {
    const payload = bytes(n);
    const p = parser().feed(clientFrame(OP_BINARY, payload));
    expect(p.events).toEqual([message(payload)]);
    const got = (p.events[0] as { data: Uint8Array }).data;
    // not a view into the read's chunk or a pool: the room keeps these bytes
    expect(got.byteOffset).toBe(0);
    expect(got.buffer.byteLength).toBe(n);
  });

  it('reserves memory for a frame as its bytes arrive, not for the length it announces', () => {
    const n = 1_000_000;
    const payload = bytes(n, 7);
    const wire = clientFrame(OP_BINARY, payload);
    const p = new Recorder(32 * 1024 * 1024);
    const allocs = vi.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      // a peer announcing a big frame and going quiet pins no more than EAGER_BYTES
      p.feed(wire.subarray(0, 24));
      expect(Math.max(...allocs.mock.calls.map(([size]) => size))).toBeLessThanOrEqual(EAGER_BYTES);
      let fed = 24;
      for (; fed < wire.length; fed += 7_000) {
        p.feed(wire.subarray(fed, fed + 7_000));
        const reserved = Math.max(...allocs.mock.calls.map(([size]) => size));
        expect(reserved).toBeLessThanOrEqual(Math.max(EAGER_BYTES, 2 * (fed + 7_000)));
      }
    } finally {
      allocs.mockRestore();
    }
    expect(p.events).toEqual([message(payload)]);
    const got = (p.events[0] as { data: Uint8Array }).data;
    expect(got.buffer.byteLength).toBe(n); // grown to the exact length, no slack kept
  });

  it('parses a frame fed one byte at a time (every split point of header, mask and payload)', () => {
    const payload = bytes(300);
    const wire = clientFrame(OP_BINARY, payload, { mask: [1, 2, 3, 250] });
    const p = parser();
    for (let i = 0; i < wire.length; i++) p.feed(wire.subarray(i, i + 1));
    expect(p.events).toEqual([message(payload)]);
  });

  it('parses a frame split at each position into two reads', () => {
    const payload = bytes(140);
    const wire = clientFrame(OP_BINARY, payload);
    for (let cut = 1; cut < wire.length; cut++) {
      const p = parser().feed(wire.subarray(0, cut), wire.subarray(cut));
      expect(p.events, `cut at ${cut}`).toEqual([message(payload)]);
    }
  });

  it('parses many frames coalesced in one read, and a read that ends mid-frame', () => {
    const a = bytes(10, 1);
    const b = bytes(200, 2);
    const c = bytes(70_000, 3);
    const wire = Buffer.concat([clientFrame(OP_BINARY, a), clientFrame(OP_PING, bytes(3)), clientFrame(OP_BINARY, b), clientFrame(OP_BINARY, c)]);
    const p = parser().feed(wire.subarray(0, wire.length - 5));
    expect(p.events).toHaveLength(3);
    p.feed(wire.subarray(wire.length - 5));
    expect(p.events).toEqual([message(a), { type: 'ping', data: bytes(3) }, message(b), message(c)]);
  });

  it('joins fragments, with control frames between them', () => {
    const parts = [bytes(5, 1), bytes(130, 2), bytes(7, 3)];
    const wire = Buffer.concat([
      clientFrame(OP_BINARY, parts[0], { fin: false }),
      clientFrame(OP_PING, bytes(2)),
      clientFrame(OP_CONTINUATION, parts[1], { fin: false }),
      clientFrame(OP_PONG, new Uint8Array(0)),
      clientFrame(OP_CONTINUATION, parts[2]),
    ]);
    const p = parser();
    // split mid-way through the interleaved ping too
    p.feed(wire.subarray(0, 13), wire.subarray(13));
    expect(p.events).toEqual([{ type: 'ping', data: bytes(2) }, { type: 'pong' }, message(new Uint8Array(Buffer.concat(parts)))]);
  });

  it('reports text frames as not binary (the transport refuses them)', () => {
    const p = parser().feed(clientFrame(OP_TEXT, Buffer.from('hi')));
    expect(p.events).toEqual([message(new Uint8Array(Buffer.from('hi')), false)]);
  });

  it('reports a close frame with its code and reason, then parses nothing more', () => {
    const payload = Buffer.concat([Buffer.from([0x0f, 0xa0]), Buffer.from('bye')]);
    const p = parser().feed(Buffer.concat([clientFrame(OP_CLOSE, payload), clientFrame(OP_BINARY, bytes(3))]));
    expect(p.events).toEqual([{ type: 'close', code: 4000, reason: 'bye' }]);
    expect(parser().feed(clientFrame(OP_CLOSE, new Uint8Array(0))).events).toEqual([{ type: 'close', code: 1005, reason: '' }]);
  });

  const failures: [string, Uint8Array, number][] = [
    ['unmasked frame', clientFrame(OP_BINARY, bytes(4), { masked: false }), CLOSE_PROTOCOL_ERROR],
    ['reserved bit', clientFrame(OP_BINARY, bytes(4), { rsv: 4 }), CLOSE_PROTOCOL_ERROR],
    ['unknown data opcode', clientFrame(0x3, bytes(4)), CLOSE_PROTOCOL_ERROR],
    ['unknown control opcode', clientFrame(0xb, bytes(4)), CLOSE_PROTOCOL_ERROR],
    ['continuation without a message', clientFrame(OP_CONTINUATION, bytes(4)), CLOSE_PROTOCOL_ERROR],
    ['fragmented ping', clientFrame(OP_PING, bytes(4), { fin: false }), CLOSE_PROTOCOL_ERROR],
    ['ping over 125 bytes', clientFrame(OP_PING, bytes(126)), CLOSE_PROTOCOL_ERROR],
    ['1-byte close', clientFrame(OP_CLOSE, bytes(1)), CLOSE_PROTOCOL_ERROR],
    ['close code 1005 on the wire', clientFrame(OP_CLOSE, Buffer.from([0x03, 0xed])), CLOSE_PROTOCOL_ERROR],
    ['frame over the cap', clientFrame(OP_BINARY, bytes(MAX + 1)), CLOSE_TOO_BIG],
    ['64-bit length over the cap', hugeHeader(0, MAX + 1), CLOSE_TOO_BIG],
    ['64-bit length with a high word', hugeHeader(1, 0), CLOSE_TOO_BIG],
    ['64-bit length 2^63', hugeHeader(0x80000000, 0), CLOSE_TOO_BIG],
  ];
  it.each(failures)('fails the connection on %s', (_name, wire, code) => {
    const p = parser().feed(wire, clientFrame(OP_BINARY, bytes(3)));
    expect(p.events).toHaveLength(1);
    expect(p.events[0]).toMatchObject({ type: 'error', code });
  });

  it('fails a new message that starts while another is fragmented, and fragments whose total passes the cap', () => {
    const interrupted = parser().feed(clientFrame(OP_BINARY, bytes(4), { fin: false }), clientFrame(OP_BINARY, bytes(4)));
    expect(interrupted.events).toEqual([{ type: 'error', code: CLOSE_PROTOCOL_ERROR, reason: 'expected a continuation frame' }]);
    const half = bytes(MAX / 2 + 1);
    const big = parser().feed(clientFrame(OP_BINARY, half, { fin: false }), clientFrame(OP_CONTINUATION, half));
    expect(big.events).toEqual([{ type: 'error', code: CLOSE_TOO_BIG, reason: 'message too big' }]);
  });
});
