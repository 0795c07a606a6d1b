/** A hand-driven WebSocket client for the wire tests: raw HTTP upgrade, then the server's (unmasked) frames as they arrive. */
import { connect, type Socket } from 'node:net';
import { OP_CLOSE } from './frame-parser';

export const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/** A hand-driven client: raw HTTP upgrade, then the server's (unmasked) frames as they arrive. */
export class WireClient {
  readonly socket: Socket;
  private buf = Buffer.alloc(0);
  response: string | null = null;
  readonly frames: ServerFrame[] = [];
  ended = false;
  closed: Promise<void>;

  constructor(serverUrl: string, path: string, headers: Record<string, string> = {}, method = 'GET') {
    const { port } = new URL(serverUrl);
    this.socket = connect(Number(port), '127.0.0.1');
    const all = { Host: 'localhost', Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': KEY, 'Sec-WebSocket-Version': '13', ...headers };
    const lines = Object.entries(all).filter(([, v]) => v !== '').map(([k, v]) => `${k}: ${v}`);
    this.socket.write(`${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
    this.socket.on('end', () => (this.ended = true));
    this.closed = new Promise((resolve) => this.socket.on('close', () => resolve()));
  }

  private read(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    if (this.response === null) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.response = this.buf.subarray(0, end).toString();
      this.buf = this.buf.subarray(end + 4);
    }
    for (;;) {
      if (this.buf.length < 2) return;
      let len = this.buf[1] & 0x7f;
      let at = 2;
      if (len === 126) [len, at] = [this.buf.readUInt16BE(2), 4];
      else if (len === 127) [len, at] = [Number(this.buf.readBigUInt64BE(2)), 10];
      if (this.buf.length < at + len) return;
      this.frames.push({ opcode: this.buf[0] & 0x0f, payload: Buffer.from(this.buf.subarray(at, at + len)) });
      this.buf = this.buf.subarray(at + len);
    }
  }

  async until(what: string, test: () => boolean, ms = 3000): Promise<void> {
    const start = Date.now();
    while (!test()) {
      if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async status(): Promise<string> {
    await this.until('response', () => this.response !== null);
    return this.response ?? '';
  }

  closeFrame(): { code: number; reason: string } | null {
    const f = this.frames.find((x) => x.opcode === OP_CLOSE);
    return f ? { code: f.payload.readUInt16BE(0), reason: f.payload.subarray(2).toString() } : null;
  }
}

