/**
 * A WebSocket look-alike over plain HTTP, for networks whose proxies block the WebSocket upgrade.
 * It carries the same y-websocket frames to the same rooms (server/transport/http-fallback.ts):
 *
 *   GET  /fallback/<room>?token=…            text/event-stream: `event: open` with the session id,
 *                                            then one `data:` line (base64) per frame, and
 *                                            `event: close` (`<code> <reason>`) before the end;
 *   POST /fallback/<room>/<session>?token=…  one or more frames (encodeFrameBatch).
 *
 * The stream is read with fetch (not EventSource), so it also runs in Node for server tests.
 * Sends go out one POST at a time, in order; frames queued meanwhile share the next POST. A failed
 * POST closes the socket (1006) like a dead WebSocket: the provider reconnects and resyncs, so
 * nothing depends on a retried POST. close() lets queued POSTs finish before ending the stream,
 * so an edit made just before leaving still reaches the server.
 */
import { encodeFrameBatch, fromBase64 } from './frames';

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
/** Frames batched into one POST up to about this many bytes (a bigger single frame goes alone). */
const MAX_POST_BYTES = 1024 * 1024;

export type SocketCloseEvent = { code: number; reason: string; wasClean: boolean };

export class HttpFallbackSocket {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;
  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readonly CLOSING = CLOSING;
  readonly CLOSED = CLOSED;

  readyState: number = CONNECTING;
  binaryType = 'arraybuffer';
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: ArrayBuffer }) => void) | null = null;
  onclose: ((event: SocketCloseEvent) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  private readonly abort = new AbortController();
  private postUrl: string | null = null;
  private queue: Uint8Array[] = [];
  private posting: Promise<void> | null = null;
  private closeEvent: SocketCloseEvent | null = null;

  constructor(readonly url: string) {
    void this.readStream();
  }

  get bufferedAmount(): number {
    return this.queue.reduce((n, f) => n + f.byteLength, 0);
  }

  send(data: ArrayBufferView | ArrayBuffer): void {
    if (this.readyState !== OPEN) return;
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.queue.push(bytes.slice());
    this.posting ??= this.flush();
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === CLOSING || this.readyState === CLOSED) return;
    this.readyState = CLOSING;
    void (async () => {
      await this.posting;
      this.finish({ code, reason, wasClean: true });
    })();
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0 && this.postUrl && !this.closeEvent) {
        let size = 0;
        let n = 0;
        while (n < this.queue.length && (n === 0 || size + this.queue[n].byteLength <= MAX_POST_BYTES)) size += this.queue[n++].byteLength;
        const frames = this.queue.splice(0, n);
        const res = await fetch(this.postUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: encodeFrameBatch(frames) as Uint8Array<ArrayBuffer>,
          signal: this.abort.signal,
        });
        if (!res.ok) throw new Error(`POST answered ${res.status}`);
      }
    } catch {
      this.queue = [];
      this.finish({ code: 1006, reason: 'fallback send failed', wasClean: false });
    } finally {
      this.posting = null;
    }
  }

  private async readStream(): Promise<void> {
    let res: Response;
    try {
      res = await fetch(this.url, { headers: { accept: 'text/event-stream' }, cache: 'no-store', signal: this.abort.signal });
    } catch {
      this.fail();
      return;
    }
    if (!res.ok || !res.body) {
      this.fail();
      return;
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          this.handleEvent(block);
          if (this.closeEvent) return;
        }
      }
    } catch {
      // aborted or the connection dropped: reported below
    }
    this.fail();
  }

  private handleEvent(block: string): void {
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (event === 'open') {
      const url = new URL(this.url);
      url.pathname = `${url.pathname}/${encodeURIComponent(data)}`;
      this.postUrl = url.toString();
      this.readyState = OPEN;
      this.onopen?.({});
    } else if (event === 'close') {
      const space = data.indexOf(' ');
      const code = Number(space < 0 ? data : data.slice(0, space));
      this.finish({ code: Number.isInteger(code) ? code : 1006, reason: space < 0 ? '' : data.slice(space + 1), wasClean: true });
    } else if (event === 'message' && data && this.readyState === OPEN) {
      const frame = fromBase64(data);
      this.onmessage?.({ data: frame.buffer as ArrayBuffer });
    }
  }

  private fail(): void {
    if (this.readyState === CONNECTING) this.onerror?.({});
    this.finish({ code: 1006, reason: 'fallback stream ended', wasClean: false });
  }

  private finish(event: SocketCloseEvent): void {
    if (this.closeEvent) return;
    this.closeEvent = event;
    this.readyState = CLOSED;
    this.abort.abort();
    this.onclose?.(event);
  }
}
