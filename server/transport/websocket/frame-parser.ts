/**
 * RFC 6455 frame parser for the server side, incremental over socket reads: frames split across
 * reads, many frames in one read, 7/16/64-bit lengths, fragmentation with control frames between
 * fragments. Client frames must be masked.
 *
 * It is a base class, not a helper object, so a connection is ONE object (idle sockets are most of
 * a server's sockets). A message that arrives in one read is unmasked straight into one new
 * Uint8Array with its own ArrayBuffer (the room keeps the bytes; a view into the read's chunk or
 * Node's pool would pin the whole chunk).
 *
 * Every frame is announced to the subclass (onFrame) before its payload is kept, so rate limits see
 * frames, not messages. Fragments are unmasked straight into one growing message buffer (no buffer
 * per fragment), and a message may have at most MAX_FRAGMENTS of them. Once our close frame is
 * sent (discardInput) payloads are skipped unread: only the peer's close frame is still looked for.
 */

export const OP_CONTINUATION = 0x0;
export const OP_TEXT = 0x1;
export const OP_BINARY = 0x2;
export const OP_CLOSE = 0x8;
export const OP_PING = 0x9;
export const OP_PONG = 0xa;

/** Close codes the parser fails a connection with. */
export const CLOSE_PROTOCOL_ERROR = 1002;
export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_NO_STATUS = 1005;

const EMPTY = new Uint8Array(0);

/** Data frames one message may span; browsers never fragment, so this only meets hostile peers. */
export const MAX_FRAGMENTS = 1024;

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

/** The mask rotated so that key byte (dstPos & 3) applies at dstPos, for a payload unmasked to offset `base`. */
function rotateMask(mask: number, base: number): number {
  const r = (base & 3) * 8;
  return r === 0 ? mask : ((mask >>> r) | (mask << (32 - r))) >>> 0;
}

function validCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}


// pState: the input mode in the low bits, then the fragmented message's type and fragment count
const MODE = 3;
const READ = 0;
/** Our close frame is out: payloads are skipped unread, only the peer's close frame is parsed. */
const DISCARD = 1;
/** Nothing more is parsed (protocol error, the peer's close frame, a handler failure). */
const STOPPED = 2;
const FRAG_BINARY = 4;
const FRAG_ONE = 8;

export abstract class FrameParser {
  /** Start of a header that was split across reads (< 14 bytes). */
  private pHead: Uint8Array | null = null;
  /**
   * Where the current frame's payload goes while it spans reads (the message buffer for a
   * fragment); null while skipping. pFilled/pLength are positions in it: the frame is in progress
   * while pFilled < pLength.
   */
  private pBody: Uint8Array | null = null;
  private pFilled = 0;
  private pLength = 0;
  private pMask = 0;
  /** First header byte of the current frame: FIN bit and opcode. */
  private pFrame = 0;
  /** A fragmented message in progress: one buffer, grown by doubling as fragments arrive. */
  private pMsg: Uint8Array | null = null;
  private pFragBytes = 0;
  /** Mode, the fragmented message's type and its fragment count, in one integer field. */
  private pState = READ;

  /** @param maxPayload hard cap of a message (all its fragments), above it: 1009. */
  constructor(private readonly maxPayload: number) {}

  /**
   * Every frame (data, continuation, control), once its header is read and before its payload is
   * kept: its size on the wire, and for data frames the size of its message so far (0 for control
   * frames). The subclass may close (discardInput) or stop here; the parser honours it at once.
   */
  protected abstract onFrame(frameBytes: number, messageBytes: number): void;
  /** A complete data message (fragments joined). */
  protected abstract onMessage(data: Uint8Array, binary: boolean): void;
  protected abstract onPing(data: Uint8Array): void;
  protected abstract onPong(): void;
  /** The peer's close frame; code 1005 when it carried none. */
  protected abstract onCloseFrame(code: number, reason: string): void;
  /** The peer broke the protocol; nothing more is parsed. */
  protected abstract onProtocolError(code: number, reason: string): void;

  /** Bytes this parser holds for the peer (partial header, frame and message buffers), for tests and limits. */
  get heldBytes(): number {
    const body = this.pBody && this.pBody !== this.pMsg ? this.pBody.length : 0;
    return (this.pHead?.length ?? 0) + body + (this.pMsg?.length ?? 0);
  }

  /** Our close frame is sent: drop what a message had buffered; from now on payloads are skipped unread. */
  protected discardInput(): void {
    if ((this.pState & MODE) !== READ) return;
    this.pState = DISCARD;
    this.pMsg = null;
    this.pFragBytes = 0;
    // a close frame half-read stays: it is what the close wait waits for
    if (this.pBody && (this.pFrame & 0x0f) !== OP_CLOSE) this.pBody = null;
  }

  /** Parse nothing more and hold nothing. */
  protected stopInput(): void {
    this.pState = STOPPED;
    this.pHead = null;
    this.pBody = null;
    this.pMsg = null;
    this.pFilled = this.pLength = this.pFragBytes = 0;
  }

  /** Feeds one read of the socket. */
  protected parse(chunk: Uint8Array): void {
    if ((this.pState & MODE) === STOPPED) return;
    let buf = chunk;
    if (this.pHead) {
      // rare (a header split across reads): prepend the few stashed bytes
      buf = Buffer.concat([this.pHead, chunk]);
      this.pHead = null;
    }
    let pos = 0;
    while (pos < buf.length) {
      if ((this.pState & MODE) === STOPPED) return;
      if (this.pFilled < this.pLength) {
        const n = Math.min(this.pLength - this.pFilled, buf.length - pos);
        if (this.pBody === null) {
          // close wait: the payload is skipped, not kept
          this.pFilled += n;
          pos += n;
          continue;
        }
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
        if ((this.pState & MODE) !== STOPPED) this.pHead = new Uint8Array(buf.subarray(pos)); // a copy: don't pin the read's chunk
        return;
      }
      pos = headerEnd;
    }
  }

  private fail(code: number, reason: string): -1 {
    this.stopInput();
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
    // during the close wait a message may be cut off by our close: its order is no longer checked
    const reading = (this.pState & MODE) === READ;
    if ((b0 & 0x70) !== 0) return this.fail(CLOSE_PROTOCOL_ERROR, 'reserved bits set');
    if ((b1 & 0x80) === 0) return this.fail(CLOSE_PROTOCOL_ERROR, 'client frames must be masked');
    const control = opcode >= OP_CLOSE;
    if (control) {
      if (opcode > OP_PONG) return this.fail(CLOSE_PROTOCOL_ERROR, 'unknown opcode');
      if (!fin) return this.fail(CLOSE_PROTOCOL_ERROR, 'fragmented control frame');
    } else if (opcode > OP_BINARY) return this.fail(CLOSE_PROTOCOL_ERROR, 'unknown opcode');
    else if (reading && opcode === OP_CONTINUATION && !this.pMsg) return this.fail(CLOSE_PROTOCOL_ERROR, 'unexpected continuation frame');
    else if (reading && opcode !== OP_CONTINUATION && this.pMsg) return this.fail(CLOSE_PROTOCOL_ERROR, 'expected a continuation frame');

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
    const fragment = !control && (opcode === OP_CONTINUATION || !fin);
    const base = opcode === OP_CONTINUATION ? this.pFragBytes : 0;
    if (base + len > this.maxPayload) return this.fail(CLOSE_TOO_BIG, 'message too big');
    // empty fragments cost nothing to send: without a count a message could be endless
    if (reading && opcode === OP_CONTINUATION && this.pState >>> 3 >= MAX_FRAGMENTS) return this.fail(CLOSE_POLICY, 'too many fragments');
    const m = pos + 2 + lengthBytes;
    const mask = ((buf[m] << 24) | (buf[m + 1] << 16) | (buf[m + 2] << 8) | buf[m + 3]) >>> 0;
    const start = pos + headerLength;
    const n = Math.min(len, buf.length - start);

    this.onFrame(headerLength + len, control ? 0 : base + len);
    const mode = this.pState & MODE;
    if (mode === STOPPED) return start + n;
    if (mode === DISCARD && opcode !== OP_CLOSE) {
      // close wait: skip the payload as it arrives
      this.pBody = null;
      this.pFilled = n;
      this.pLength = len;
      return start + n;
    }
    this.pFrame = b0;
    if (fragment) return this.fragment(buf, start, n, len, opcode, mask);
    this.pMask = mask;
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

  /** A data frame of a fragmented message: its payload is unmasked into the message buffer, after the earlier fragments. */
  private fragment(buf: Uint8Array, start: number, n: number, len: number, opcode: number, mask: number): number {
    if (opcode !== OP_CONTINUATION) {
      this.pMsg = EMPTY;
      this.pFragBytes = 0;
      this.pState = (this.pState & MODE) | (opcode === OP_BINARY ? FRAG_BINARY : 0);
    }
    this.pState += FRAG_ONE;
    const base = this.pFragBytes;
    this.pMask = rotateMask(mask, base);
    this.pBody = this.pMsg;
    this.pFilled = base;
    this.pLength = base + len;
    const body = this.reserve(base + n);
    unmask(buf, start, body, base, n, this.pMask);
    this.pFilled = base + n;
    if (n < len) return start + n;
    this.pBody = null;
    this.frameDone(body);
    return start + n;
  }

  /**
   * The pending body, grown to hold `filled` bytes: a frame's up to its length, a fragmented
   * message's (whose length is unknown) doubling, up to the cap.
   */
  private reserve(filled: number): Uint8Array {
    const body = this.pBody as Uint8Array;
    if (filled <= body.length) return body;
    const message = body === this.pMsg;
    const grown = allocBytes(Math.min(message ? this.maxPayload : this.pLength, Math.max(2 * body.length, filled)));
    grown.set(body.subarray(0, this.pFilled));
    this.pBody = grown;
    if (message) this.pMsg = grown;
    return grown;
  }

  private frameDone(body: Uint8Array): void {
    const opcode = this.pFrame & 0x0f;
    const fin = (this.pFrame & 0x80) !== 0;
    if (opcode === OP_PING) return this.onPing(body);
    if (opcode === OP_PONG) return this.onPong();
    if (opcode === OP_CLOSE) return this.closeFrame(body);
    if (fin && opcode !== OP_CONTINUATION) return this.onMessage(body, opcode === OP_BINARY);
    this.pFragBytes = this.pLength;
    if (!fin) return;
    const total = this.pFragBytes;
    let data = this.pMsg as Uint8Array;
    const binary = (this.pState & FRAG_BINARY) !== 0;
    this.pMsg = null;
    this.pFragBytes = 0;
    this.pState &= MODE;
    if (data.length !== total) {
      // doubling left slack: the room keeps these bytes, so hand it an exact copy
      const exact = allocBytes(total);
      exact.set(data.subarray(0, total));
      data = exact;
    }
    this.onMessage(data, binary);
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
    this.stopInput();
    this.onCloseFrame(code, reason);
  }
}
