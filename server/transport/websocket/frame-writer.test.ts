import { describe, expect, it } from 'vitest';
import { FrameParser, OP_BINARY } from './frame-parser';
import { closeFrame, frame, headerLength, writeBinary } from './frame-writer';
import { bytes } from './test-frames';

class Sink {
  chunks: Uint8Array[] = [];
  write(chunk: Uint8Array): boolean {
    this.chunks.push(chunk);
    return true;
  }
}

/** Reads server frames back by masking them like a client would and running the server's parser. */
function roundTrip(wire: Uint8Array): Uint8Array[] {
  const masked = Buffer.alloc(wire.length + 4);
  const head = headerLength(wire.length - (wire[1] === 127 ? 10 : wire[1] === 126 ? 4 : 2));
  masked.set(wire.subarray(0, head));
  masked[1] |= 0x80;
  masked.set(wire.subarray(head), head + 4); // mask 0,0,0,0
  const got: Uint8Array[] = [];
  class P extends FrameParser {
    go(b: Uint8Array): void {
      this.parse(b);
    }
    protected onMessage(d: Uint8Array): void {
      got.push(d);
    }
    protected onFrame(): void {}
    protected onPing(): void {}
    protected onPong(): void {}
    protected onCloseFrame(): void {}
    protected onProtocolError(code: number, reason: string): void {
      throw new Error(`${code} ${reason}`);
    }
  }
  new P(1 << 24).go(masked);
  return got;
}

describe('frame writer', () => {
  it.each([0, 125, 126, 65_535, 65_536, 200_000])('frames %i bytes readably, header and payload in one buffer', (n) => {
    const payload = bytes(n);
    const out = frame(OP_BINARY, payload);
    expect(out.length).toBe(headerLength(n) + n);
    expect(roundTrip(out)).toEqual([payload]);
  });

  it('frames a broadcast once: consecutive sends of the same payload write the same Buffer', () => {
    const sinks = [new Sink(), new Sink(), new Sink()];
    const payload = bytes(100);
    for (const s of sinks) writeBinary(s, payload);
    expect(sinks.map((s) => s.chunks.length)).toEqual([1, 1, 1]);
    expect(sinks[1].chunks[0]).toBe(sinks[0].chunks[0]);
    expect(sinks[2].chunks[0]).toBe(sinks[0].chunks[0]);
    // a different payload (even equal bytes) is framed anew
    const other = new Sink();
    writeBinary(other, bytes(100));
    expect(other.chunks[0]).not.toBe(sinks[0].chunks[0]);
    expect(other.chunks[0]).toEqual(sinks[0].chunks[0]);
  });

  it('writes a big payload after its header without copying it', () => {
    const sink = new Sink();
    const payload = bytes(100_000);
    writeBinary(sink, payload);
    expect(sink.chunks).toHaveLength(2);
    expect(sink.chunks[1]).toBe(payload);
    expect(roundTrip(Buffer.concat(sink.chunks))).toEqual([payload]);
  });

  it('builds close frames with the code and a reason cut to 123 bytes', () => {
    expect([...closeFrame(4508, 'slow')]).toEqual([0x88, 6, 0x11, 0x9c, ...Buffer.from('slow')]);
    expect(closeFrame(1000, 'x'.repeat(300)).length).toBe(2 + 125);
    expect([...closeFrame(1005, 'ignored')]).toEqual([0x88, 0]);
  });
});
