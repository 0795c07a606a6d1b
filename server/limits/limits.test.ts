/** Token buckets (with an injected clock) and admission decisions. */
import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../lib/protocol/close-codes';
import { AdmissionControl } from './admission';
import { ConnectionRateLimiter, TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst up to capacity, then refills lazily with elapsed time', () => {
    const bucket = new TokenBucket(10, 20, 0);
    for (let i = 0; i < 20; i++) expect(bucket.take(1, 0)).toBe(true);
    expect(bucket.take(1, 0)).toBe(false);
    expect(bucket.take(1, 100)).toBe(true); // 100 ms at 10/s = 1 token
    expect(bucket.take(1, 100)).toBe(false);
    expect(bucket.take(20, 1_000_000)).toBe(true); // never refills past capacity
    expect(bucket.take(1, 1_000_000)).toBe(false);
  });
});

describe('ConnectionRateLimiter', () => {
  it('reports which limit was hit; one max-size frame always fits the byte burst', () => {
    const limiter = new ConnectionRateLimiter({ rateLimitMessagesPerSec: 5, rateLimitBytesPerSec: 1000, maxMessageBytes: 50_000 }, 0);
    expect(limiter.admit(50_000, 0)).toBeNull();
    expect(limiter.admit(10, 0)).toBe('bytes');
    const chatty = new ConnectionRateLimiter({ rateLimitMessagesPerSec: 5, rateLimitBytesPerSec: 1000, maxMessageBytes: 1024 }, 0);
    for (let i = 0; i < 10; i++) expect(chatty.admit(1, 0)).toBeNull();
    expect(chatty.admit(1, 0)).toBe('messages');
  });
});

describe('AdmissionControl', () => {
  const control = () =>
    new AdmissionControl({ allowedOrigins: ['https://board.example'], maxConnectionsPerBoard: 2, maxConnectionsPerIp: 3 });

  it('checks the Origin only when one is sent', () => {
    const c = control();
    expect(c.admit('b', 'ip', 'https://evil.example')).toMatchObject({ ok: false, reason: 'origin', code: CloseCode.Forbidden });
    expect(c.admit('b', 'ip', 'https://BOARD.example/').ok).toBe(true);
    expect(c.admit('b', 'ip', undefined).ok).toBe(true);
  });

  it('caps connections per board and per address, and frees slots on release', () => {
    const c = control();
    const first = c.admit('b', 'ip', undefined);
    expect(c.admit('b', 'ip', undefined).ok).toBe(true);
    expect(c.admit('b', 'ip', undefined)).toMatchObject({ ok: false, reason: 'board_full', code: CloseCode.TryAgainLater });
    expect(c.admit('other', 'ip', undefined).ok).toBe(true);
    expect(c.admit('third', 'ip', undefined)).toMatchObject({ ok: false, reason: 'ip_limit' });
    expect(c.admit('third', 'ip2', undefined).ok).toBe(true);
    if (!first.ok) throw new Error('first admission failed');
    first.release();
    first.release(); // idempotent
    expect(c.admit('b', 'ip', undefined).ok).toBe(true);
    expect(c.admit('b', 'ip', undefined).ok).toBe(false);
  });
});
