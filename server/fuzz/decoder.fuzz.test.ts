/**
 * Property-based fuzzing of the message decoder (server/protocol/messages.ts), the first code every
 * socket byte reaches after framing. Properties:
 * - it never throws, whatever the bytes;
 * - whatever it accepts is the ONE canonical encoding of what it decoded (re-encoding gives the
 *   same bytes), so no other layer reading raw bytes can disagree with it about a message's type —
 *   the class of bug that let a viewer write with `[0x80 0x00 …]`;
 * - role checks built on the decoded kind hold: a frame decoded as a document write is one that the
 *   metrics' raw classifier also calls step 2 / update.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { frameType } from '../metrics/metrics';
import {
  decodeMessage,
  encodeAwarenessMessage,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  type ClientMessage,
} from '../protocol/messages';
import { fuzzParams } from './budget';

/** Real payloads a stock client sends: updates, state vectors, awareness updates. */
function realPayloads(): { updates: Uint8Array[]; vectors: Uint8Array[]; awareness: Uint8Array[] } {
  const doc = new Y.Doc();
  const sv0 = Y.encodeStateVector(doc);
  doc.getMap('shapes').set('a', new Y.Map([['x', 1]]));
  doc.getText('t').insert(0, 'hello');
  const sv1 = Y.encodeStateVector(doc);
  doc.getText('t').delete(1, 2);
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState({ user: { name: 'Ada', color: '#f00' }, cursor: { x: 1.5, y: -2 } });
  const out = {
    updates: [Y.encodeStateAsUpdate(doc), Y.encodeStateAsUpdate(doc, sv1), Y.encodeStateAsUpdate(doc, sv0)],
    vectors: [sv0, sv1, Y.encodeStateVector(doc)],
    awareness: [awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])],
  };
  awareness.destroy();
  doc.destroy();
  return out;
}
const REAL = realPayloads();

/** A varint for n, minimal or padded with `extra` continuation bytes (`0x80`… then `0x00`). */
function varint(n: number, extra: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push(0x80 | (v & 0x7f));
    v = Math.floor(v / 128);
  }
  out.push(v);
  if (extra > 0) {
    out[out.length - 1] |= 0x80;
    for (let i = 1; i < extra; i++) out.push(0x80);
    out.push(0x00);
  }
  return out;
}

const payload = fc.oneof(
  fc.constantFrom(...REAL.updates, ...REAL.vectors, ...REAL.awareness),
  fc.uint8Array({ maxLength: 64 }),
);

/** Frames shaped like the protocol, with headers in any (also non-minimal) encoding, then mutated. */
const structuredFrame = fc
  .record({
    type: fc.oneof(fc.constantFrom(0, 1, 2, 3), fc.nat(300)),
    typePad: fc.oneof(fc.constant(0), fc.nat(3)),
    sub: fc.oneof(fc.constantFrom(0, 1, 2), fc.nat(300)),
    subPad: fc.oneof(fc.constant(0), fc.nat(3)),
    lenPad: fc.oneof(fc.constant(0), fc.nat(2)),
    body: payload,
    flips: fc.array(fc.record({ at: fc.nat(), bit: fc.nat(7) }), { maxLength: 3 }),
    cut: fc.option(fc.nat()),
  })
  .map(({ type, typePad, sub, subPad, lenPad, body, flips, cut }) => {
    const head = [...varint(type, typePad)];
    if (type === 0) head.push(...varint(sub, subPad));
    const bytes = type === 3 ? Uint8Array.from(head) : Uint8Array.from([...head, ...varint(body.length, lenPad), ...body]);
    for (const { at, bit } of flips) if (bytes.length > 0) bytes[at % bytes.length] ^= 1 << bit;
    return cut === null ? bytes : bytes.slice(0, cut % (bytes.length + 1));
  });

const anyFrame = fc.oneof(structuredFrame, fc.uint8Array({ maxLength: 128 }));

function reencode(message: ClientMessage): Uint8Array {
  switch (message.kind) {
    case 'sync-step1':
      return encodeSyncStep1(message.stateVector);
    case 'sync-step2':
      return encodeSyncStep2(message.update);
    case 'sync-update':
      return encodeSyncUpdate(message.update);
    case 'awareness':
      return encodeAwarenessMessage(message.update);
    case 'query-awareness':
      return Uint8Array.from([3]);
  }
}

describe('message decoder (property-based)', () => {
  it('never throws, and accepts only the canonical encoding of what it decodes', () => {
    fc.assert(
      fc.property(anyFrame, (frame) => {
        const decoded = decodeMessage(frame);
        if (!decoded.ok) return;
        expect(Array.from(reencode(decoded.message))).toEqual(Array.from(frame));
      }),
      fuzzParams(3_000),
    );
  });

  it('a frame decoded as a document write is one a raw-byte reader also calls a document write', () => {
    fc.assert(
      fc.property(anyFrame, (frame) => {
        const decoded = decodeMessage(frame);
        const write = decoded.ok && (decoded.message.kind === 'sync-step2' || decoded.message.kind === 'sync-update');
        if (write) expect(['sync_step2', 'sync_update']).toContain(frameType(frame));
      }),
      fuzzParams(3_000),
    );
  });

  it('padded headers are always refused', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 1, 3), fc.integer({ min: 1, max: 4 }), payload, (type, pad, body) => {
        const frame = Uint8Array.from([...varint(type, pad), ...(type === 0 ? [2] : []), ...(type === 3 ? [] : [...varint(body.length, 0), ...body])]);
        expect(decodeMessage(frame).ok).toBe(false);
      }),
      fuzzParams(500),
    );
  });
});
