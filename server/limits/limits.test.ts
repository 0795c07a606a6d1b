/** Rate limits (with an injected clock) and admission decisions. */
import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../lib/protocol/close-codes';
import { AdmissionControl } from './admission';
import { ConnectionRateLimiter, RateLimits } from './token-bucket';

describe('ConnectionRateLimiter', () => {
  it('reports which limit was hit; one max-size frame (with its 14-byte header) always fits the byte burst', () => {
    const limiter = new ConnectionRateLimiter({ rateLimitMessagesPerSec: 5, rateLimitBytesPerSec: 1000, maxMessageBytes: 50_000 });
    expect(limiter.admit(50_014, 0)).toBeNull();
    expect(limiter.admit(1, 0)).toBe('bytes');
    const chatty = new ConnectionRateLimiter({ rateLimitMessagesPerSec: 5, rateLimitBytesPerSec: 1000, maxMessageBytes: 1024 });
    for (let i = 0; i < 10; i++) expect(chatty.admit(1, 0)).toBeNull();
    expect(chatty.admit(1, 0)).toBe('messages');
  });
});

describe('RateLimits (state on the caller\'s object)', () => {
  it('refills with elapsed time like a token bucket and never past the burst', () => {
    const limits = new RateLimits({ rateLimitMessagesPerSec: 10, rateLimitBytesPerSec: 1000, maxMessageBytes: 100 });
    const state = { msgTat: 0, byteTat: 0 };
    for (let i = 0; i < 20; i++) expect(limits.admit(state, 1, 1000)).toBeNull();
    expect(limits.admit(state, 1, 1000)).toBe('messages');
    expect(limits.admit(state, 1, 1100)).toBeNull(); // 100 ms at 10/s = 1 message
    expect(limits.admit(state, 1, 1100)).toBe('messages');
    expect(limits.admit(state, 2000, 1_000_000)).toBeNull(); // idle: the full 2 s byte burst again
    expect(limits.admit(state, 1, 1_000_000)).toBe('bytes');
    const other = { msgTat: 0, byteTat: 0 };
    expect(limits.admit(other, 1, 1_000_000)).toBeNull(); // states are independent
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
