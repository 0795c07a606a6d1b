import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  HEARTBEAT_FRAME,
  decodeMessage,
  encodeAwarenessMessage,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
} from './messages';

const bytes = (...b: number[]) => new Uint8Array(b);

/** A real update with a delete set, so cutting its tail leaves valid structs and a broken delete set. */
function updateWithDeletes(): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'hello world');
  doc.getText('t').delete(0, 6);
  return Y.encodeStateAsUpdate(doc);
}

function reason(frame: Uint8Array): string {
  const r = decodeMessage(frame);
  if (r.ok) throw new Error(`expected failure, got ${r.message.kind}`);
  return r.reason;
}

describe('decodeMessage', () => {
  it('decodes sync step 1 with its state vector', () => {
    const r = decodeMessage(bytes(0, 0, 1, 0));
    expect(r).toEqual({ ok: true, message: { kind: 'sync-step1', stateVector: bytes(0) } });
  });

  it('decodes step 2 and update carrying a real update', () => {
    const update = updateWithDeletes();
    const step2 = decodeMessage(encodeSyncStep2(update));
    const upd = decodeMessage(encodeSyncUpdate(update));
    expect(step2).toEqual({ ok: true, message: { kind: 'sync-step2', update } });
    expect(upd).toEqual({ ok: true, message: { kind: 'sync-update', update } });
  });

  it('decodes query-awareness', () => {
    expect(decodeMessage(bytes(3))).toEqual({ ok: true, message: { kind: 'query-awareness' } });
  });

  it('decodes an awareness update into entries', () => {
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ name: 'ada' });
    const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
    const r = decodeMessage(encodeAwarenessMessage(update));
    awareness.destroy();
    expect(r.ok && r.message.kind === 'awareness' && r.message.entries).toEqual([
      { clientId: doc.clientID, clock: 1, json: new TextEncoder().encode('{"name":"ada"}'), isNull: false },
    ]);
  });

  it('rejects empty frames, unknown types and truncated varints', () => {
    expect(reason(bytes())).toBe('empty frame');
    expect(reason(bytes(7))).toBe('unknown message type 7');
    expect(reason(bytes(2, 0, 0))).toBe('unknown message type 2'); // auth is server-to-client
    expect(reason(bytes(0x80))).toBe('truncated varint');
    expect(reason(bytes(0, 0x80))).toBe('truncated varint');
  });

  it('rejects bad sync sub-types, lengths past the end and trailing bytes', () => {
    expect(reason(bytes(0, 5, 0))).toBe('unknown sync type 5');
    expect(reason(bytes(0, 2, 10, 1, 2))).toBe('length 10 exceeds remaining 2 bytes');
    expect(reason(bytes(3, 0))).toBe('1 trailing bytes');
    expect(reason(bytes(0, 0, 1, 0, 9))).toBe('1 trailing bytes');
  });

  it('rejects garbage, empty and tail-truncated updates without any document', () => {
    expect(reason(bytes(0, 2, 0))).toBe('empty update');
    expect(reason(bytes(0, 2, 4, 0xde, 0xad, 0xbe, 0xef))).toMatch(/^invalid payload/);
    const update = updateWithDeletes();
    const cut = update.slice(0, update.length - 2);
    expect(reason(encodeSyncUpdate(cut))).toMatch(/^invalid payload/);
    expect(reason(encodeSyncStep2(cut))).toMatch(/^invalid payload/);
  });

  it('rejects awareness updates with bad JSON, bad UTF-8 or a lying count', () => {
    // 1 entry: client 1, clock 1, string "{" (not JSON)
    expect(reason(bytes(1, 5, 1, 1, 1, 1, 0x7b))).toBe('awareness state is not UTF-8 JSON');
    expect(reason(bytes(1, 5, 1, 1, 1, 1, 0xff))).toBe('awareness state is not UTF-8 JSON');
    expect(reason(bytes(1, 2, 100, 0))).toBe('awareness count 100 exceeds frame');
  });
});

describe('encoders', () => {
  it('produce the stock y-websocket byte layout', () => {
    expect(encodeSyncStep1(bytes(0))).toEqual(bytes(0, 0, 1, 0));
    expect(encodeSyncStep2(bytes(0, 0))).toEqual(bytes(0, 1, 2, 0, 0));
    expect(encodeSyncUpdate(bytes(0, 0))).toEqual(bytes(0, 2, 2, 0, 0));
    expect(HEARTBEAT_FRAME).toEqual(bytes(1, 1, 0));
  });
});

describe('frame encoders at varint boundaries', () => {
  it('match lib0 for payload lengths that need 1, 2 and 3 length bytes', () => {
    for (const n of [0, 1, 127, 128, 16_383, 16_384, 70_000]) {
      const payload = new Uint8Array(n).fill(7);
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(e, payload);
      expect(encodeSyncUpdate(payload)).toEqual(encoding.toUint8Array(e));
    }
  });
});
