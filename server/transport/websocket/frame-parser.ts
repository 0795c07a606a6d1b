/**
 * RFC 6455 frame parser for the server side, incremental over socket reads: frames split across
 * reads, many frames in one read, 7/16/64-bit lengths, fragmentation with control frames between
 * fragments. Client frames must be masked.
 *
 * It is a base class, not a helper object, so a connection is ONE object (idle sockets are most of
 * a server's sockets). A message that arrives in one read is unmasked straight into one new
 * Uint8Array with its own ArrayBuffer (the room keeps the bytes; a view into the read's chunk or
 * Node's pool would pin the whole chunk).
 */

export const OP_CONTINUATION = 0x0;
export const OP_TEXT = 0x1;
export const OP_BINARY = 0x2;
export const OP_CLOSE = 0x8;
export const OP_PING = 0x9;
export const OP_PONG = 0xa;

/** Close codes the parser fails a connection with. */
export const CLOSE_PROTOCOL_ERROR = 1002;
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_NO_STATUS = 1005;

const EMPTY = new Uint8Array(0);

/** Payload bytes reserved up front for a frame that spans reads; beyond it memory follows what arrived. */
export const EAGER_BYTES = 64 * 1024;

function allocBytes(n: number): Uint8Array {
  // unpooled and not zero-filled: every byte is written by unmask()
  return n === 0 ? EMPTY : new Uint8Array(Buffer.allocUnsafeSlow(n).buffer, 0, n);
}

/** dst[dstPos + i] = src[srcPos + i] ^ mask byte ((dstPos + i) mod 4), for i < n. */
function unmask(src: Uint8Array, srcPos: number, dst: Uint8Array, dstPos: number, n: number, mask: number): void {
  const m0 = mask >>> 24;
  const m1 = (mask >>> 16) & 0xff;
  const m2 = (mask >>> 8) & 0xff;
  const m3 = mask & 0xff;
  let i = 0;
  // align to the mask, then four bytes per step
  for (; i < n && ((dstPos + i) & 3) !== 0; i++) {
    const k = (dstPos + i) & 3;
    dst[dstPos + i] = src[srcPos + i] ^ (k === 1 ? m1 : k === 2 ? m2 : m3);
  }
  for (; i + 3 < n; i += 4) {
    const d = dstPos + i;
    const s = srcPos + i;
    dst[d] = src[s] ^ m0;
    dst[d + 1] = src[s + 1] ^ m1;
    dst[d + 2] = src[s + 2] ^ m2;
    dst[d + 3] = src[s + 3] ^ m3;
  }
  for (; i < n; i++) {
    const k = (dstPos + i) & 3;
    dst[dstPos + i] = src[srcPos + i] ^ (k === 0 ? m0 : k === 1 ? m1 : k === 2 ? m2 : m3);
  }
}

function validCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

export abstract class FrameParser {
  /** Start of a header that was split across reads (< 14 bytes). */
  private pHead: Uint8Array | null = null;
  /** Payload of the current frame while it spans reads; grows as bytes arrive (see EAGER_BYTES). */
  private pBody: Uint8Array | null = null;
  private pFilled = 0;
  /** The current frame's payload length (pBody may still be shorter). */
  private pLength = 0;
  private pMask = 0;
  /** First header byte of the current frame: FIN bit and opcode. */
  private pFrame = 0;
  /** Fragments of a message in progress, and its first frame's opcode and total size. */
  private pFragments: Uint8Array[] | null = null;
  private pFragOpcode = 0;
  private pFragBytes = 0;
  /** After a protocol error or the peer's close frame nothing more is parsed. */
  private pStopped = false;

  /** @param maxPayload hard cap of a message (all its fragments), above it: 1009. */
  constructor(private readonly maxPayload: number) {}

  /** A complete data message (fragments joined). */
  protected abstract onMessage(data: Uint8Array, binary: boolean): void;
  protected abstract onPing(data: Uint8Array): void;
  protected abstract onPong(): void;
  /** The peer's close frame; code 1005 when it carried none. */
  protected abstract onCloseFrame(code: number, reason: string): void;
  /** The peer broke the protocol; nothing more is parsed. */
  protected abstract onProtocolError(code: number, reason: string): void;

  /** Feeds one read of the socket. */
  protected parse(chunk: Uint8Array): void {
    let buf = chunk;
    if (this.pHead) {
      // rare (a header split across reads): prepend the few stashed bytes
      buf = Buffer.concat([this.pHead, chunk]);
      this.pHead = null;
    }
    let pos = 0;
    while (pos < buf.length && !this.pStopped) {
      if (this.pBody) {
        const n = Math.min(this.pLength - this.pFilled, buf.length - pos);
        const body = this.reserve(this.pFilled + n);
        unmask(buf, pos, body, this.pFilled, n, this.pMask);
        this.pFilled += n;
        pos += n;
        if (this.pFilled < this.pLength) return;
        this.pBody = null;
        this.frameDone(body);
        continue;
      }
      const headerEnd = this.header(buf, pos);
      if (headerEnd < 0) {
        if (!this.pStopped) this.pHead = new Uint8Array(buf.subarray(pos)); // a copy: don't pin the read's chunk
        return;
      }
      pos = headerEnd;
    }
  }

  private fail(code: number, reason: string): -1 {
    this.pStopped = true;
    this.pBody = null;
    this.pFragments = null;
    this.onProtocolError(code, reason);
    return -1;
  }

  /**
   * Parses the header at pos and as much of the payload as this read has. Returns the position
   * after what it consumed, or -1 when the header is incomplete (or the frame was refused).
   */
  private header(buf: Uint8Array, pos: number): number {
    const avail = buf.length - pos;
    if (avail < 2) return -1;
    const b0 = buf[pos];
    const b1 = buf[pos + 1];
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    if ((b0 & 0x70) !== 0) return this.fail(CLOSE_PROTOCOL_ERROR, 'reserved bits set');
    if ((b1 & 0x80) === 0) return this.fail(CLOSE_PROTOCOL_ERROR, 'client frames must be masked');
    const control = opcode >= OP_CLOSE;
    if (control) {
      if (opcode > OP_PONG) return this.fail(CLOSE_PROTOCOL_ERROR, 'unknown opcode');
      if (!fin) return this.fail(CLOSE_PROTOCOL_ERROR, 'fragmented control frame');
    } else if (opcode > OP_BINARY) return this.fail(CLOSE_PROTOCOL_ERROR, 'unknown opcode');
    else if (opcode === OP_CONTINUATION && !this.pFragments) return this.fail(CLOSE_PROTOCOL_ERROR, 'unexpected continuation frame');
    else if (opcode !== OP_CONTINUATION && this.pFragments) return this.fail(CLOSE_PROTOCOL_ERROR, 'expected a continuation frame');

    let len = b1 & 0x7f;
    const lengthBytes = len === 126 ? 2 : len === 127 ? 8 : 0;
    const headerLength = 2 + lengthBytes + 4;
    if (avail < headerLength) return -1;
    if (control && len > 125) return this.fail(CLOSE_PROTOCOL_ERROR, 'control frame too long');
    if (len === 126) len = (buf[pos + 2] << 8) | buf[pos + 3];
    else if (len === 127) {
      const high = ((buf[pos + 2] << 24) | (buf[pos + 3] << 16) | (buf[pos + 4] << 8) | buf[pos + 5]) >>> 0;
      const low = ((buf[pos + 6] << 24) | (buf[pos + 7] << 16) | (buf[pos + 8] << 8) | buf[pos + 9]) >>> 0;
      // any high word means > 4 GiB: far above any cap we would set
      if (high !== 0) return this.fail(CLOSE_TOO_BIG, 'message too big');
      len = low;
    }
    const total = opcode === OP_CONTINUATION ? this.pFragBytes + len : len;
    if (!control && total > this.maxPayload) return this.fail(CLOSE_TOO_BIG, 'message too big');
    const m = pos + 2 + lengthBytes;
    const mask = ((buf[m] << 24) | (buf[m + 1] << 16) | (buf[m + 2] << 8) | buf[m + 3]) >>> 0;

    this.pFrame = b0;
    this.pMask = mask;
    const start = pos + headerLength;
    const n = Math.min(len, buf.length - start);
    // A frame that ends in this read gets its exact buffer. One that doesn't is not trusted with
    // its announced length: a peer could announce maxPayload and send nothing more, on many sockets.
    const body = allocBytes(n === len ? len : Math.min(len, Math.max(EAGER_BYTES, 2 * n)));
    unmask(buf, start, body, 0, n, mask);
    if (n < len) {
      this.pBody = body;
      this.pFilled = n;
      this.pLength = len;
    } else this.frameDone(body);
    return start + n;
  }

  /** The pending body, grown (doubling, capped at the frame's length) to hold `filled` bytes. */
  private reserve(filled: number): Uint8Array {
    const body = this.pBody as Uint8Array;
    if (filled <= body.length) return body;
    const grown = allocBytes(Math.min(this.pLength, Math.max(2 * body.length, filled)));
    grown.set(body.subarray(0, this.pFilled));
    this.pBody = grown;
    return grown;
  }

  private frameDone(body: Uint8Array): void {
    const opcode = this.pFrame & 0x0f;
    const fin = (this.pFrame & 0x80) !== 0;
    if (opcode === OP_PING) return this.onPing(body);
    if (opcode === OP_PONG) return this.onPong();
    if (opcode === OP_CLOSE) return this.closeFrame(body);
    if (fin && opcode !== OP_CONTINUATION) return this.onMessage(body, opcode === OP_BINARY);
    if (opcode !== OP_CONTINUATION) {
      this.pFragments = [body];
      this.pFragOpcode = opcode;
      this.pFragBytes = body.length;
      return;
    }
    const fragments = this.pFragments;
    if (!fragments) return; // unreachable: checked in header()
    fragments.push(body);
    this.pFragBytes += body.length;
    if (!fin) return;
    const data = allocBytes(this.pFragBytes);
    let at = 0;
    for (const f of fragments) {
      data.set(f, at);
      at += f.length;
    }
    this.pFragments = null;
    this.pFragBytes = 0;
    this.onMessage(data, this.pFragOpcode === OP_BINARY);
  }

  private closeFrame(body: Uint8Array): void {
    if (body.length === 1) {
      this.fail(CLOSE_PROTOCOL_ERROR, 'invalid close frame');
      return;
    }
    let code = CLOSE_NO_STATUS;
    let reason = '';
    if (body.length >= 2) {
      code = (body[0] << 8) | body[1];
      if (!validCloseCode(code)) {
        this.fail(CLOSE_PROTOCOL_ERROR, 'invalid close code');
        return;
      }
      reason = Buffer.from(body.buffer, body.byteOffset + 2, body.length - 2).toString('utf8');
    }
    this.pStopped = true;
    this.pFragments = null;
    this.onCloseFrame(code, reason);
  }
}
