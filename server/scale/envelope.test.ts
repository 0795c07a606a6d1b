import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, type Envelope } from './envelope';

describe('cluster envelope', () => {
  const samples: Envelope[] = [
    { kind: 'updates', serverId: 's1', sentAt: 1_700_000_000_123.5, firstSeq: 42, updates: [new Uint8Array([1, 2]), new Uint8Array(300).fill(7)] },
    { kind: 'presence', serverId: 'server-two', sentAt: 1, update: new Uint8Array([1, 5, 1, 2, 110, 117, 108, 108]) },
    { kind: 'presence-query', serverId: 's3', sentAt: 2 },
    { kind: 'link-rotated', serverId: 's1', sentAt: 3, link: 'view', version: 7 },
    { kind: 'heartbeat', serverId: 's2', sentAt: 4 },
    { kind: 'leaving', serverId: 's2', sentAt: 5 },
    { kind: 'board-deleted', serverId: 's2', sentAt: 6 },
  ];

  it('round-trips every kind', () => {
    for (const env of samples) expect(decodeEnvelope(encodeEnvelope(env))).toEqual(env);
  });

  it('rejects truncated, extended and foreign bytes instead of throwing', () => {
    for (const env of samples) {
      const bytes = encodeEnvelope(env);
      for (let cut = 0; cut < bytes.length; cut++) expect(decodeEnvelope(bytes.subarray(0, cut))).toBeNull();
      expect(decodeEnvelope(new Uint8Array([...bytes, 0]))).toBeNull();
    }
    expect(decodeEnvelope(new Uint8Array([9, 0]))).toBeNull(); // unknown version
    expect(decodeEnvelope(new TextEncoder().encode('hello'))).toBeNull();
  });
});
