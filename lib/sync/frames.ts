/**
 * The client's sync step 1 encoder (message numbers in lib/protocol/messages.ts, shared with the
 * server), plus the framing of the HTTP fallback, shared by its client and server.
 */
import { MessageType, SyncType } from '../protocol/messages';

/** `[0, 0, varUint8Array(stateVector)]`: what y-protocols' writeSyncStep1 produces. */
export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  const len: number[] = [];
  let n = stateVector.length;
  while (n > 0x7f) {
    len.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  len.push(n);
  const out = new Uint8Array(2 + len.length + stateVector.length);
  out[0] = MessageType.Sync;
  out[1] = SyncType.Step1;
  out.set(len, 2);
  out.set(stateVector, 2 + len.length);
  return out;
}

/** Path prefix of the HTTP fallback on the sync server: `GET /fallback/<board>` streams, `POST /fallback/<board>/<session>` sends. */
export const FALLBACK_PREFIX = '/fallback/';

/** POST bodies carry one or more frames, each prefixed by its length as 4 bytes big-endian. */
export function encodeFrameBatch(frames: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const f of frames) size += 4 + f.byteLength;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let pos = 0;
  for (const f of frames) {
    view.setUint32(pos, f.byteLength);
    out.set(f, pos + 4);
    pos += 4 + f.byteLength;
  }
  return out;
}

/** Splits a POST body into frames; null if the framing is broken or a frame exceeds maxFrameBytes. */
export function decodeFrameBatch(body: Uint8Array, maxFrameBytes: number): Uint8Array[] | null {
  const frames: Uint8Array[] = [];
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let pos = 0;
  while (pos < body.byteLength) {
    if (pos + 4 > body.byteLength) return null;
    const len = view.getUint32(pos);
    if (len > maxFrameBytes || pos + 4 + len > body.byteLength) return null;
    frames.push(body.slice(pos + 4, pos + 4 + len));
    pos += 4 + len;
  }
  return frames;
}

/** Standard base64 to bytes (browser and Node): the server sends frames as SSE data lines. */
export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** ws(s)://host/<room>?q -> http(s)://host/fallback/<room>?q */
export function fallbackUrl(wsUrl: string): string {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = FALLBACK_PREFIX.slice(0, -1) + url.pathname;
  return url.toString();
}
