/**
 * The y-websocket wire protocol (see /work/shared/reference/sync-protocol.md §1): one message per
 * binary frame, `varUint(type) • payload`. Decoding is strict because every frame is untrusted:
 * lengths are bounds-checked here (lib0's readUint8Array is not), trailing bytes are rejected, and
 * Yjs payloads are fully decoded without touching any document, since Y.applyUpdate is not atomic
 * on a truncated update.
 */
import * as Y from 'yjs';
import { MessageType, SyncType } from '../../lib/protocol/messages';
import { JSON_INVALID, JSON_NULL, checkJson } from './json-check';

export { MessageType, SyncType } from '../../lib/protocol/messages';

/**
 * One awareness entry, kept as the raw JSON bytes the client sent: the server only needs the client
 * id and clock (ownership, ordering) and the state's size, so the state is relayed as-is, never
 * re-stringified. It is still checked once on arrival (see decodeAwarenessUpdate).
 */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** UTF-8 JSON of the state, exactly as received. */
  json: Uint8Array;
  /** The state is JSON `null`: "this client left". */
  isNull: boolean;
}

export type ClientMessage =
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | { kind: 'sync-step2'; update: Uint8Array }
  | { kind: 'sync-update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array; entries: AwarenessEntry[] }
  | { kind: 'query-awareness' };

export type DecodeResult = { ok: true; message: ClientMessage } | { ok: false; reason: string };

class DecodeError extends Error {}

/** Bounds-checked cursor over one frame. */
class Reader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /**
   * Only the shortest encoding is accepted: `[0x80, 0x00]` also decodes to 0, and a check that reads
   * raw bytes (a proxy, an older version of this server) would see another message type than we do.
   */
  varUint(): number {
    let num = 0;
    let mult = 1;
    const start = this.pos;
    while (this.pos < this.bytes.length) {
      const byte = this.bytes[this.pos++];
      num += (byte & 0x7f) * mult;
      if (num > Number.MAX_SAFE_INTEGER) throw new DecodeError('varint out of range');
      if (byte < 0x80) {
        if (byte === 0 && this.pos - start > 1) throw new DecodeError('non-minimal varint');
        return num;
      }
      mult *= 128;
    }
    throw new DecodeError('truncated varint');
  }

  /** Returns a copy so later readers can't wander past the end into the rest of the frame. */
  varBytes(): Uint8Array {
    const len = this.varUint();
    if (len > this.remaining) throw new DecodeError(`length ${len} exceeds remaining ${this.remaining} bytes`);
    const out = this.bytes.slice(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** A view (no copy) into the frame; callers must not keep it past the frame unless they copy. */
  varView(): Uint8Array {
    const len = this.varUint();
    if (len > this.remaining) throw new DecodeError(`length ${len} exceeds remaining ${this.remaining} bytes`);
    const out = this.bytes.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  end(): void {
    if (this.remaining !== 0) throw new DecodeError(`${this.remaining} trailing bytes`);
  }
}

/** Decodes and validates one client frame. Never throws. */
export function decodeMessage(frame: Uint8Array): DecodeResult {
  try {
    return { ok: true, message: decodeOrThrow(frame) };
  } catch (err) {
    if (err instanceof DecodeError) return { ok: false, reason: err.message };
    // Yjs decoders throw plain Errors on garbage ("Unexpected end of array", RangeError, ...)
    return { ok: false, reason: `invalid payload: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function decodeOrThrow(frame: Uint8Array): ClientMessage {
  if (frame.length === 0) throw new DecodeError('empty frame');
  const r = new Reader(frame);
  const type = r.varUint();
  switch (type) {
    case MessageType.Sync: {
      const syncType = r.varUint();
      const payload = r.varBytes();
      r.end();
      if (syncType === SyncType.Step1) {
        Y.decodeStateVector(payload);
        return { kind: 'sync-step1', stateVector: payload };
      }
      if (syncType === SyncType.Step2 || syncType === SyncType.Update) {
        validateUpdate(payload);
        return { kind: syncType === SyncType.Step2 ? 'sync-step2' : 'sync-update', update: payload };
      }
      throw new DecodeError(`unknown sync type ${syncType}`);
    }
    case MessageType.Awareness: {
      // a view: the transport hands us a frame of our own, and the entries point into it
      const update = r.varView();
      r.end();
      return { kind: 'awareness', update, entries: decodeAwarenessUpdate(update) };
    }
    case MessageType.QueryAwareness:
      r.end();
      return { kind: 'query-awareness' };
    default:
      // Auth (2) is server-to-client only.
      throw new DecodeError(`unknown message type ${type}`);
  }
}

/** Throws if the bytes are not a complete V1 update. Touches no document. */
export function validateUpdate(update: Uint8Array): void {
  if (update.length === 0) throw new DecodeError('empty update');
  Y.decodeUpdate(update);
}

/**
 * `varUint(n) • n × (varUint clientID • varUint clock • varString(JSON state))`.
 *
 * Each state is checked to be well-formed UTF-8 JSON (json-check.ts, no decoding): the server
 * coalesces entries of several clients into one message, and one unparsable state would make
 * every receiver (y-protocols JSON.parses each entry) drop the whole message, i.e. everyone
 * else's presence too.
 */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const r = new Reader(update);
  const count = r.varUint();
  // each entry needs at least 3 bytes, so a huge count in a tiny frame is a lie
  if (count * 3 > r.remaining) throw new DecodeError(`awareness count ${count} exceeds frame`);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = r.varUint();
    const clock = r.varUint();
    const json = r.varView();
    const check = checkJson(json);
    if (check === JSON_INVALID) throw new DecodeError('awareness state is not UTF-8 JSON');
    entries.push({ clientId, clock, json, isNull: check === JSON_NULL });
  }
  r.end();
  return entries;
}

export function varUintSize(n: number): number {
  let size = 1;
  while (n > 0x7f) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Writes `n` as a varUint at `pos`; returns the position after it. */
export function writeVarUint(out: Uint8Array, pos: number, n: number): number {
  while (n > 0x7f) {
    out[pos++] = 0x80 | (n & 0x7f);
    n = Math.floor(n / 128);
  }
  out[pos++] = n;
  return pos;
}

/**
 * `head bytes • varUint(payload.length) • payload` in one exact-size allocation: these run once per
 * broadcast, and lib0's growable Encoder allocated and copied twice per frame.
 */
function frame(head: readonly number[], payload: Uint8Array): Uint8Array {
  const len = payload.byteLength;
  const out = new Uint8Array(head.length + varUintSize(len) + len);
  let pos = 0;
  for (const b of head) out[pos++] = b;
  out.set(payload, writeVarUint(out, pos, len));
  return out;
}

const SYNC_STEP1 = [MessageType.Sync, SyncType.Step1];
const SYNC_STEP2 = [MessageType.Sync, SyncType.Step2];
const SYNC_UPDATE = [MessageType.Sync, SyncType.Update];
const AWARENESS = [MessageType.Awareness];

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return frame(SYNC_STEP1, stateVector);
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return frame(SYNC_STEP2, update);
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return frame(SYNC_UPDATE, update);
}

export function encodeAwarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
  return frame(AWARENESS, awarenessUpdate);
}

/** `[1,1,0]`: an awareness update with zero entries. Clients apply it as a no-op; it resets their 30 s watchdog. */
export const HEARTBEAT_FRAME: Uint8Array = encodeAwarenessMessage(new Uint8Array([0]));
