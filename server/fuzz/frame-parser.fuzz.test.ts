/**
 * Property-based fuzzing of the WebSocket frame parser (server/transport/websocket/frame-parser.ts),
 * which sees every byte of every socket. Streams of client frames — valid, fragmented, control,
 * unmasked, oversize, with reserved bits or bad opcodes, bit-flipped and truncated — are fed in
 * random chunkings. Properties: it never throws; what it reports does not depend on how the bytes
 * were split into reads; every frame is announced (onFrame) before its payload is delivered; it never
 * holds more than one message's limit (plus a header); after a protocol error it reports nothing more.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameParser } from '../transport/websocket/frame-parser';
import { clientFrame } from '../transport/websocket/test-frames';
import { fuzzParams } from './budget';

const MAX_PAYLOAD = 4096;

class Probe extends FrameParser {
  readonly log: string[] = [];
  maxHeld = 0;
  private stopped = false;
  feed(chunk: Uint8Array): void {
    this.parse(chunk);
    this.maxHeld = Math.max(this.maxHeld, this.heldBytes);
  }
  protected onFrame(frameBytes: number, messageBytes: number): void {
    this.note(`frame ${frameBytes} ${messageBytes}`);
  }
  protected onMessage(data: Uint8Array, binary: boolean): void {
    this.note(`message ${binary} ${Buffer.from(data).toString('hex')}`);
  }
  protected onPing(data: Uint8Array): void {
    this.note(`ping ${Buffer.from(data).toString('hex')}`);
  }
  protected onPong(): void {
    this.note('pong');
  }
  protected onCloseFrame(code: number, reason: string): void {
    this.note(`close ${code} ${reason}`);
    this.stopped = true;
  }
  protected onProtocolError(code: number, reason: string): void {
    this.note(`error ${code} ${reason}`);
    this.stopped = true;
  }
  private note(line: string): void {
    if (this.stopped) this.log.push(`AFTER STOP: ${line}`);
    else this.log.push(line);
  }
}

const frameSpec = fc.record({
  opcode: fc.oneof(fc.constantFrom(0x0, 0x1, 0x2, 0x8, 0x9, 0xa), fc.integer({ min: 0, max: 15 })),
  fin: fc.boolean(),
  masked: fc.oneof(fc.constant(true), fc.boolean()),
  rsv: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 7 })),
  payload: fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 100, maxLength: 300 }), fc.constant(new Uint8Array(MAX_PAYLOAD + 1))),
  mask: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)),
});

const stream = fc
  .record({
    frames: fc.array(frameSpec, { minLength: 1, maxLength: 12 }),
    flips: fc.array(fc.record({ at: fc.nat(), bit: fc.nat(7) }), { maxLength: 2 }),
    cut: fc.option(fc.nat()),
  })
  .map(({ frames, flips, cut }) => {
    const bytes = Buffer.concat(frames.map((f) => clientFrame(f.opcode, f.payload, { fin: f.fin, masked: f.masked, rsv: f.rsv, mask: f.mask })));
    for (const { at, bit } of flips) bytes[at % bytes.length] ^= 1 << bit;
    return cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
  });

/** Split points, as fractions of the stream. */
const splits = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 });

function run(bytes: Uint8Array, cuts: number[]): Probe {
  const probe = new Probe(MAX_PAYLOAD);
  const points = [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) probe.feed(bytes.slice(from, p));
    from = Math.max(from, p);
  }
  return probe;
}

describe('WebSocket frame parser (property-based)', () => {
  it('never throws, reports the same events however the bytes are split, and holds at most one message', () => {
    fc.assert(
      fc.property(stream, splits, (bytes, cuts) => {
        const whole = run(bytes, []);
        const split = run(bytes, cuts);
        expect(split.log).toEqual(whole.log);
        expect(whole.log.filter((l) => l.startsWith('AFTER STOP'))).toEqual([]);
        expect(split.maxHeld).toBeLessThanOrEqual(MAX_PAYLOAD + 14);
      }),
      fuzzParams(1_500),
    );
  });

  it('announces every data frame before delivering the message it completes', () => {
    fc.assert(
      fc.property(stream, (bytes) => {
        const { log } = run(bytes, []);
        log.forEach((line, i) => {
          if (line.startsWith('message') || line.startsWith('ping')) expect(log[i - 1]).toMatch(/^frame /);
        });
      }),
      fuzzParams(1_500),
    );
  });
});
