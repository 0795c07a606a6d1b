import { describe, expect, it, vi } from 'vitest';
import { CLOSE_POLICY, CLOSE_PROTOCOL_ERROR, CLOSE_TOO_BIG, EAGER_BYTES, FrameParser, MAX_FRAGMENTS, OP_BINARY, OP_CLOSE, OP_CONTINUATION, OP_PING, OP_PONG, OP_TEXT } from './frame-parser';
import { bytes, clientFrame, hugeHeader } from './test-frames';

type Event =
  | { type: 'message'; data: Uint8Array; binary: boolean }
  | { type: 'ping'; data: Uint8Array }
  | { type: 'pong' }
  | { type: 'close'; code: number; reason: string }
  | { type: 'error'; code: number; reason: string };

class Recorder extends FrameParser {
  events: Event[] = [];
  /** [frameBytes, messageBytes] of every onFrame. */
  frames: [number, number][] = [];
  /** Frames whose header makes the "server" close (as a rate limit would). */
  closeOnFrame: ((frameBytes: number) => boolean) | null = null;
  feed(...chunks: Uint8Array[]): this {
    for (const c of chunks) this.parse(c);
    return this;
  }
  /** What a server does when it sends its close frame. */
  closeSent(): void {
    this.discardInput();
  }
  protected onFrame(frameBytes: number, messageBytes: number): void {
    this.frames.push([frameBytes, messageBytes]);
    if (this.closeOnFrame?.(frameBytes)) this.discardInput();
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

  it('announces every frame as its header arrives: data, control and empty fragments, with the message size so far', () => {
    const p = parser().feed(
      clientFrame(OP_BINARY, bytes(5), { fin: false }),
      clientFrame(OP_PING, bytes(2)),
      clientFrame(OP_CONTINUATION, new Uint8Array(0), { fin: false }),
      clientFrame(OP_CONTINUATION, bytes(300), { fin: false }),
      clientFrame(OP_CONTINUATION, bytes(7)),
      clientFrame(OP_PONG, new Uint8Array(0)),
    );
    // header (2, or 4 for 126+ bytes) + mask (4) + payload
    expect(p.frames).toEqual([[11, 5], [8, 0], [6, 5], [308, 305], [13, 312], [6, 0]]);
    expect(p.events.filter((e) => e.type === 'message')).toHaveLength(1);
  });

  it('unmasks fragments of every length and mask offset into one message, split at every byte', () => {
    const parts = [1, 2, 3, 5, 0, 7, 130].map((n, i) => bytes(n, i + 1));
    const wire = Buffer.concat(
      parts.map((part, i) =>
        clientFrame(i === 0 ? OP_BINARY : OP_CONTINUATION, part, { fin: i === parts.length - 1, mask: [i + 1, 0x80 + i, 7 * i, 255 - i] }),
      ),
    );
    const whole = new Uint8Array(Buffer.concat(parts));
    for (const step of [1, 3, 64, wire.length]) {
      const p = parser();
      for (let at = 0; at < wire.length; at += step) p.feed(wire.subarray(at, at + step));
      expect(p.events, `reads of ${step}`).toEqual([message(whole)]);
      const got = (p.events[0] as { data: Uint8Array }).data;
      expect(got.buffer.byteLength).toBe(whole.length); // exact: no doubling slack kept by the room
    }
  });

  it('keeps one growing buffer per fragmented message, not one per fragment', () => {
    const n = 1000;
    const wire = Buffer.concat([
      clientFrame(OP_BINARY, bytes(1, 0), { fin: false }),
      ...Array.from({ length: n - 1 }, (_, i) => clientFrame(OP_CONTINUATION, bytes(1, i + 1), { fin: i === n - 2 })),
    ]);
    const allocs = vi.spyOn(Buffer, 'allocUnsafeSlow');
    const p = parser();
    let sizes: number[];
    try {
      p.feed(wire);
      sizes = allocs.mock.calls.map(([size]) => size); // read before mockRestore() clears them
    } finally {
      allocs.mockRestore();
    }
    expect(p.events).toHaveLength(1);
    expect((p.events[0] as { data: Uint8Array }).data).toEqual(Uint8Array.from({ length: n }, (_, i) => bytes(1, i)[0]));
    // doubling: ~log2(n) buffers of at most 2n bytes in all, and the exact copy handed over
    expect(sizes.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)) + 2);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeLessThanOrEqual(4 * n);
  });

  it(`fails a message of more than ${MAX_FRAGMENTS} fragments with 1008, empty ones too, and lets go of it`, () => {
    const empty = clientFrame(OP_CONTINUATION, new Uint8Array(0), { fin: false });
    const p = parser().feed(clientFrame(OP_BINARY, bytes(10), { fin: false }));
    for (let i = 1; i < MAX_FRAGMENTS; i++) p.feed(empty);
    expect(p.events).toEqual([]);
    expect(p.heldBytes).toBe(10);
    p.feed(empty);
    expect(p.events).toEqual([{ type: 'error', code: CLOSE_POLICY, reason: 'too many fragments' }]);
    expect(p.heldBytes).toBe(0);
    // exactly MAX_FRAGMENTS is a message
    const ok = parser().feed(clientFrame(OP_BINARY, bytes(10), { fin: false }));
    for (let i = 2; i < MAX_FRAGMENTS; i++) ok.feed(empty);
    ok.feed(clientFrame(OP_CONTINUATION, new Uint8Array(0)));
    expect(ok.events).toEqual([message(bytes(10))]);
  });

  it('after our close frame, skips payloads without keeping them and still finds the peer\'s close frame', () => {
    const p = parser().feed(clientFrame(OP_BINARY, bytes(5000), { fin: false }));
    const big = clientFrame(OP_CONTINUATION, bytes(90_000));
    // mid-frame: a message and a frame in progress are both dropped
    p.feed(big.subarray(0, 1000));
    expect(p.heldBytes).toBeGreaterThan(5000);
    p.closeSent();
    expect(p.heldBytes).toBe(0);
    const allocs = vi.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      p.feed(big.subarray(1000));
      for (let i = 0; i < 50; i++) {
        p.feed(clientFrame(OP_BINARY, bytes(20_000), { fin: false }), clientFrame(OP_CONTINUATION, bytes(20_000)), clientFrame(OP_PING, bytes(9)));
      }
      expect(allocs).not.toHaveBeenCalled();
      expect(p.heldBytes).toBe(0);
    } finally {
      allocs.mockRestore();
    }
    const close = clientFrame(OP_CLOSE, Buffer.from([0x03, 0xe8]));
    p.feed(close.subarray(0, 3), close.subarray(3));
    expect(p.events).toEqual([{ type: 'close', code: 1000, reason: '' }]);
    expect(p.frames).toHaveLength(2 + 150 + 1); // still announced: the server counts them
  });

  it('skips the payload of a frame refused in onFrame (a rate limit) without allocating it', () => {
    const p = parser();
    p.closeOnFrame = (frameBytes) => frameBytes > 1000;
    p.feed(clientFrame(OP_BINARY, bytes(10)));
    const allocs = vi.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      p.feed(clientFrame(OP_BINARY, bytes(50_000)), clientFrame(OP_BINARY, bytes(10)));
      expect(allocs).not.toHaveBeenCalled();
    } finally {
      allocs.mockRestore();
    }
    expect(p.events).toEqual([message(bytes(10))]);
  });
});
