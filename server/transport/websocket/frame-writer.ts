/**
 * Server-to-client frames. Server frames are unmasked, so a broadcast's frame is the same bytes for
 * every peer: the room sends one Uint8Array to each peer of a broadcast in a row, and a one-entry
 * cache (last payload -> framed Buffer) frames it once for the whole fan-out. Small frames go out
 * as header + payload in ONE Buffer (one write, one writev entry); big ones (a board's step 2) are
 * written as header and payload without copying, so 50 joiners share one 5 MB buffer.
 */
import { OP_BINARY, OP_CLOSE, OP_PING, OP_PONG } from './frame-parser';

/** Above this a payload is not copied into its frame. */
const COPY_LIMIT = 16 * 1024;

export function headerLength(payloadLength: number): number {
  return payloadLength < 126 ? 2 : payloadLength < 0x10000 ? 4 : 10;
}

/** Writes a FIN frame header for `length` bytes at the start of `out`; returns its length. */
export function writeHeader(out: Uint8Array, opcode: number, length: number): number {
  out[0] = 0x80 | opcode;
  if (length < 126) {
    out[1] = length;
    return 2;
  }
  if (length < 0x10000) {
    out[1] = 126;
    out[2] = length >>> 8;
    out[3] = length & 0xff;
    return 4;
  }
  out[1] = 127;
  const high = Math.floor(length / 0x100000000);
  out[2] = high >>> 24;
  out[3] = (high >>> 16) & 0xff;
  out[4] = (high >>> 8) & 0xff;
  out[5] = high & 0xff;
  out[6] = length >>> 24;
  out[7] = (length >>> 16) & 0xff;
  out[8] = (length >>> 8) & 0xff;
  out[9] = length & 0xff;
  return 10;
}

/** Header + payload in one new Buffer. */
export function frame(opcode: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(headerLength(payload.length) + payload.length);
  out.set(payload, writeHeader(out, opcode, payload.length));
  return out;
}

interface Writable {
  write(chunk: Uint8Array): boolean;
}

let lastPayload: Uint8Array | null = null;
let lastFrame: Buffer | null = null;

/** Writes a binary frame; consecutive sends of the same payload object reuse its framed bytes. */
export function writeBinary(socket: Writable, payload: Uint8Array): void {
  if (payload === lastPayload && lastFrame) {
    socket.write(lastFrame);
    return;
  }
  if (payload.length > COPY_LIMIT) {
    const header = Buffer.allocUnsafe(headerLength(payload.length));
    writeHeader(header, OP_BINARY, payload.length);
    socket.write(header);
    socket.write(payload);
    return;
  }
  lastFrame = frame(OP_BINARY, payload);
  lastPayload = payload;
  socket.write(lastFrame);
}

const PING = frame(OP_PING, new Uint8Array(0));

export function writePing(socket: Writable): void {
  socket.write(PING);
}

export function writePong(socket: Writable, payload: Uint8Array): void {
  socket.write(frame(OP_PONG, payload));
}

/** A close frame; code 1005 (none) sends an empty one. The reason is cut to fit 125 bytes. */
export function closeFrame(code: number, reason: string): Buffer {
  if (code === 1005) return frame(OP_CLOSE, new Uint8Array(0));
  let text = Buffer.from(reason, 'utf8');
  if (text.length > 123) text = text.subarray(0, 123);
  const payload = Buffer.allocUnsafe(2 + text.length);
  payload.writeUInt16BE(code, 0);
  payload.set(text, 2);
  return frame(OP_CLOSE, payload);
}
