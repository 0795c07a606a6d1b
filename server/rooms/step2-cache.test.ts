import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeMessage } from '../protocol/messages';
import { Step2Cache } from './step2-cache';

const EMPTY_SV = Y.encodeStateVector(new Y.Doc());

function applyReply(frame: Uint8Array, into: Y.Doc): void {
  const decoded = decodeMessage(frame);
  if (!decoded.ok || decoded.message.kind !== 'sync-step2') throw new Error('not a step 2 frame');
  Y.applyUpdate(into, decoded.message.update);
}

function docWith(entries: Record<string, string>): Y.Doc {
  const doc = new Y.Doc();
  const map = doc.getMap('shapes');
  for (const [k, v] of Object.entries(entries)) map.set(k, v);
  return doc;
}

describe('Step2Cache', () => {
  it('answers identical vectors with the same buffer, and the buffer holds the whole doc', () => {
    const doc = docWith({ a: 'x'.repeat(1000), b: 'y' });
    const cache = new Step2Cache(doc);
    const first = cache.reply(EMPTY_SV);
    const second = cache.reply(Uint8Array.from(EMPTY_SV));
    expect(second).toBe(first);
    expect(cache.encodes).toBe(1);
    const joiner = new Y.Doc();
    applyReply(first, joiner);
    expect(joiner.getMap('shapes').toJSON()).toEqual({ a: 'x'.repeat(1000), b: 'y' });
  });

  it('re-encodes after an insert or a delete, but not after a transaction that changed nothing', () => {
    const doc = docWith({ a: '1' });
    const cache = new Step2Cache(doc);
    const before = cache.reply(EMPTY_SV);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(new Y.Doc())); // a fresh joiner's empty step 2
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(doc)); // a reconnecting client repeating what we have
    expect(cache.reply(EMPTY_SV)).toBe(before);

    doc.getMap('shapes').set('b', '2');
    const afterInsert = cache.reply(EMPTY_SV);
    expect(afterInsert).not.toBe(before);
    doc.getMap('shapes').delete('a');
    const afterDelete = cache.reply(EMPTY_SV);
    expect(afterDelete).not.toBe(afterInsert);
    expect(cache.encodes).toBe(3);

    const joiner = new Y.Doc();
    applyReply(afterDelete, joiner);
    expect(joiner.getMap('shapes').toJSON()).toEqual({ b: '2' });
  });

  it('keeps the empty-vector reply while answering other vectors, and answers those by diff', () => {
    const doc = docWith({ a: '1' });
    const cache = new Step2Cache(doc);
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    doc.getMap('shapes').set('b', '2');
    const full = cache.reply(EMPTY_SV);
    const peerVector = Y.encodeStateVector(peer);
    const diff = cache.reply(peerVector);
    expect(diff.byteLength).toBeLessThan(full.byteLength);
    expect(cache.reply(peerVector)).toBe(diff);
    expect(cache.reply(EMPTY_SV)).toBe(full);
    expect(cache.encodes).toBe(2);
    applyReply(diff, peer);
    expect(peer.getMap('shapes').toJSON()).toEqual({ a: '1', b: '2' });
  });

  it('answers clients alternating between state vectors from the cache (one encode per vector)', () => {
    const doc = docWith({ a: 'x'.repeat(5000) });
    const peers = [0, 1, 2].map((i) => {
      const peer = new Y.Doc();
      Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
      doc.getMap('shapes').set(`k${i}`, 'v'.repeat(100)); // each peer now lacks a different amount
      return Y.encodeStateVector(peer);
    });
    const cache = new Step2Cache(doc);
    const vectors = [peers[0], peers[1], EMPTY_SV, peers[2]];
    const first = vectors.map((v) => cache.reply(v));
    for (let i = 0; i < 200; i++) expect(cache.reply(Uint8Array.from(vectors[i % vectors.length]))).toBe(first[i % vectors.length]);
    expect(cache.encodes).toBe(vectors.length);
    // a real change is a new doc version: every answer is encoded again, once
    doc.getMap('shapes').set('z', 1);
    for (let i = 0; i < 8; i++) cache.reply(vectors[i % vectors.length]);
    expect(cache.encodes).toBe(2 * vectors.length);
  });

  it('stays within its byte budget, dropping the least recently used answer', () => {
    const doc = docWith({ seed: 's' }); // so no vector below is the empty one (it has its own slot)
    const vectors: Uint8Array[] = [];
    for (let i = 0; i < 4; i++) {
      const peer = new Y.Doc();
      Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
      vectors.push(Y.encodeStateVector(peer));
      doc.getMap('shapes').set(`k${i}`, 'v'.repeat(1000));
    }
    // room for about two of the larger diffs
    const cache = new Step2Cache(doc, 2 * (cache0(doc, vectors[1]) + 16));
    cache.reply(vectors[1]);
    cache.reply(vectors[2]);
    cache.reply(vectors[1]); // most recent
    cache.reply(vectors[0]); // largest: evicts what it must, oldest first
    const before = cache.encodes;
    cache.reply(vectors[0]);
    expect(cache.encodes).toBe(before);
    cache.reply(vectors[2]);
    expect(cache.encodes).toBe(before + 1);
  });
});

/** Size of the step 2 frame for `sv` (what the cache stores). */
function cache0(doc: Y.Doc, sv: Uint8Array): number {
  return new Step2Cache(doc).reply(sv).byteLength;
}

