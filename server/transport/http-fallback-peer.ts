/**
 * One HTTP-fallback connection as the room sees it (the Peer interface of server/rooms/room.ts):
 * frames go down the Server-Sent Events stream as base64 `data:` lines.
 */
import type { ServerResponse } from 'node:http';
import { CloseCode } from '../../lib/protocol/close-codes';
import type { Metrics } from '../metrics/metrics';
import type { Peer } from '../rooms/room';

/** After a 4508 close, how long the close event gets before the stream is cut. */
const SLOW_CLIENT_GRACE_MS = 1_000;

export class FallbackPeer implements Peer {
  private ended = false;
  private lastSentAt = Date.now();
  /** Set once the token is checked (rooms/room.ts drops a viewer's document writes). */
  viewer = false;
  /** Display name from the token, set with `viewer`. */
  name = '';

  constructor(
    readonly id: string,
    private readonly res: ServerResponse,
    private readonly maxBufferedBytes: number,
    private readonly metrics: Metrics | null,
  ) {}

  get closed(): boolean {
    return this.ended;
  }

  send(frame: Uint8Array): void {
    if (this.ended) return;
    if (this.res.writableLength > this.maxBufferedBytes) {
      this.metrics?.error('slow_client');
      this.close(CloseCode.SlowClient, 'client too slow');
      const res = this.res;
      setTimeout(() => res.destroy(), SLOW_CLIENT_GRACE_MS).unref();
      return;
    }
    this.metrics?.frameOut(frame);
    this.write(`data: ${Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('base64')}\n\n`);
  }

  sendEvent(event: string, data: string): void {
    if (!this.ended) this.write(`event: ${event}\ndata: ${data}\n\n`);
  }

  close(code: number, reason: string): void {
    if (this.ended) return;
    this.sendEvent('close', `${code} ${reason.replace(/[\r\n]/g, ' ')}`);
    this.ended = true;
    this.res.end();
  }

  /** The stream closed from the client's side (or the socket died). */
  markClosed(): void {
    this.ended = true;
  }

  /** Keeps the client's watchdog and any proxy fed while the board is quiet. */
  heartbeat(now: number, idleAfterMs: number, frame: Uint8Array, comment: string): void {
    if (this.ended || now - this.lastSentAt < idleAfterMs) return;
    this.send(frame);
    this.write(comment);
  }

  private write(text: string): void {
    this.lastSentAt = Date.now();
    this.res.write(text);
  }
}
