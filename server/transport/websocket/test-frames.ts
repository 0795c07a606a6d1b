/** Client-side (masked) frame builder for the parser and wire tests. */
import { headerLength, writeHeader } from './frame-writer';

export interface FrameOptions {
  fin?: boolean;
  masked?: boolean;
  /** RSV1-3 bits, 0-7. */
  rsv?: number;
  mask?: [number, number, number, number];
}

export function clientFrame(opcode: number, payload: Uint8Array, options: FrameOptions = {}): Buffer {
  const { fin = true, masked = true, rsv = 0, mask = [0x12, 0x34, 0x56, 0x78] } = options;
  const head = headerLength(payload.length);
  const out = Buffer.alloc(head + (masked ? 4 : 0) + payload.length);
  writeHeader(out, opcode, payload.length);
  out[0] = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
  let at = head;
  if (masked) {
    out[1] |= 0x80;
    out.set(mask, at);
    at += 4;
  }
  for (let i = 0; i < payload.length; i++) out[at + i] = masked ? payload[i] ^ mask[i & 3] : payload[i];
  return out;
}

/** A 64-bit-length header claiming `high * 2^32 + low` bytes, masked, with no payload following. */
export function hugeHeader(high: number, low: number): Buffer {
  const out = Buffer.alloc(14);
  out[0] = 0x82;
  out[1] = 0x80 | 127;
  out.writeUInt32BE(high, 2);
  out.writeUInt32BE(low, 6);
  return out;
}

export function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}
