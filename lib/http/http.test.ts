/** Public origin, client keys, the board-creation quota, bounded bodies and the CSP. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_BODY_BYTES, readBody, skipBody } from '../auth/request';
import { BoardCreationQuota } from './board-quota';
import { clientKey, parsePublicUrl, publicOrigin, UNKNOWN_CLIENT } from './client';
import { pageCsp, syncSources } from './csp';
import { quotaFromEnv, TokenBuckets } from './rate-limit';

const H = (init: Record<string, string>) => new Headers(init);
const HOUR = 3_600_000;

describe('public origin', () => {
  const proxied = { host: 'app:3000', 'x-forwarded-host': 'whiteboard.example:8443', 'x-forwarded-proto': 'https' };

  it('is http:// + Host without a trusted proxy (forwarded headers are the client’s to forge)', () => {
    expect(publicOrigin(H(proxied), {})).toBe('http://app:3000');
    expect(publicOrigin(H({ host: '127.0.0.1:3000' }), {})).toBe('http://127.0.0.1:3000');
  });

  it('follows X-Forwarded-Host and -Proto with TRUST_PROXY=1', () => {
    expect(publicOrigin(H(proxied), { TRUST_PROXY: '1' })).toBe('https://whiteboard.example:8443');
    expect(publicOrigin(H({ host: 'app:3000', 'x-forwarded-proto': 'https, http' }), { TRUST_PROXY: 'true' })).toBe('https://app:3000');
  });

  it('is PUBLIC_URL when set, whatever the headers say', () => {
    expect(publicOrigin(H(proxied), { PUBLIC_URL: 'https://board.example.com/', TRUST_PROXY: '1' })).toBe('https://board.example.com');
  });

  it('refuses malformed hosts and configuration', () => {
    expect(publicOrigin(H({ host: 'evil.example/path' }), {})).toBeNull();
    expect(publicOrigin(H({ host: 'a b' }), {})).toBeNull();
    expect(publicOrigin(H({ host: 'h:99999' }), {})).toBeNull();
    expect(publicOrigin(H({ host: 'good:1', 'x-forwarded-host': 'bad host' }), { TRUST_PROXY: '1' })).toBe('http://good:1');
    expect(() => parsePublicUrl('ftp://x')).toThrow(/PUBLIC_URL/);
    expect(() => parsePublicUrl('https://x/app')).toThrow(/origin only/);
    expect(() => parsePublicUrl('not a url')).toThrow(/PUBLIC_URL/);
    expect(() => publicOrigin(H({ host: 'h' }), { TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
  });
});

describe('client key', () => {
  it('is the last X-Forwarded-For hop with TRUST_PROXY=1 (earlier hops are client-written)', () => {
    expect(clientKey(H({ 'x-forwarded-for': '6.6.6.6, 203.0.113.9' }), { TRUST_PROXY: '1' })).toBe('203.0.113.9');
    expect(clientKey(H({}), { TRUST_PROXY: '1' })).toBe(UNKNOWN_CLIENT);
  });

  it('without a trusted proxy is the single address Next fills in, else one shared bucket', () => {
    expect(clientKey(H({ 'x-forwarded-for': '::ffff:127.0.0.1' }), {})).toBe('127.0.0.1');
    expect(clientKey(H({ 'x-forwarded-for': '1.1.1.1, 2.2.2.2' }), {})).toBe(UNKNOWN_CLIENT);
    expect(clientKey(H({ 'x-forwarded-for': 'garbage' }), {})).toBe(UNKNOWN_CLIENT);
  });

  it('counts an IPv6 client by its /64', () => {
    expect(clientKey(H({ 'x-forwarded-for': '2001:db8:1:2:aaaa::1' }), {})).toBe('2001:db8:1:2::/64');
    expect(clientKey(H({ 'x-forwarded-for': '2001:db8:1:2:bbbb:0:0:7' }), {})).toBe('2001:db8:1:2::/64');
    expect(clientKey(H({ 'x-forwarded-for': '::1' }), {})).toBe('0:0:0:0::/64');
  });
});

describe('token buckets', () => {
  it('allow a burst of the hourly quota, then one per 3600/quota s, with a Retry-After', () => {
    const b = new TokenBuckets(60);
    for (let i = 0; i < 60; i++) expect(b.take('a', 0).ok).toBe(true);
    expect(b.take('a', 0)).toEqual({ ok: false, retryAfterS: 60 });
    expect(b.take('a', 30_000)).toEqual({ ok: false, retryAfterS: 30 });
    expect(b.take('a', 60_000).ok).toBe(true);
    expect(b.take('b', 0).ok).toBe(true); // another client has its own bucket
  });

  it('refill to the quota and no further', () => {
    const b = new TokenBuckets(2);
    b.take('a', 0);
    b.take('a', 0);
    expect(b.take('a', 10 * HOUR).ok).toBe(true);
    expect(b.take('a', 10 * HOUR).ok).toBe(true);
    expect(b.take('a', 10 * HOUR).ok).toBe(false);
  });

  it('forget the least recently used keys past their bound', () => {
    const b = new TokenBuckets(1, 3);
    for (const k of ['a', 'b', 'c', 'd']) b.take(k, 0);
    expect(b.size).toBe(3);
    expect(b.take('a', 0).ok).toBe(true); // forgotten: starts full
    expect(b.take('d', 0).ok).toBe(false);
  });

  it('read their quota from the environment', () => {
    expect(quotaFromEnv('Q', undefined, 60)).toBe(60);
    expect(quotaFromEnv('Q', '5', 60)).toBe(5);
    expect(quotaFromEnv('Q', '0', 60)).toBeNull();
    expect(() => quotaFromEnv('Q', '-1', 60)).toThrow(/Q must be/);
    expect(() => quotaFromEnv('Q', '1.5', 60)).toThrow(/Q must be/);
  });
});

describe('board creation quota', () => {
  it('limits each client and the total; a refusal costs nothing', () => {
    const q = new BoardCreationQuota(2, 3);
    expect([q.take('a', 0).ok, q.take('a', 0).ok, q.take('a', 0).ok]).toEqual([true, true, false]);
    expect(q.take('b', 0).ok).toBe(true);
    expect(q.take('c', 0)).toEqual({ ok: false, retryAfterS: 1200 }); // total spent
    q.refund('b'); // b's creation failed upstream
    expect(q.take('c', 0).ok).toBe(true);
  });

  it('is off with 0', () => {
    const q = BoardCreationQuota.fromEnv({ BOARD_CREATE_PER_IP_PER_HOUR: '0', BOARD_CREATE_TOTAL_PER_HOUR: '0' });
    for (let i = 0; i < 500; i++) expect(q.take('a', 0).ok).toBe(true);
  });
});

describe('request bodies', () => {
  const schema = z.object({ key: z.string() }).strict();
  const post = (body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    new Request('http://h/api/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

  it('parse small JSON', async () => {
    expect(await readBody(post('{"key":"k"}'), schema)).toEqual({ key: 'k' });
  });

  it('answer 415 to another Content-Type and 400 to bad JSON', async () => {
    expect(((await readBody(post('{"key":"k"}', { 'content-type': 'text/plain' }), schema)) as Response).status).toBe(415);
    expect(((await readBody(post('{"key":"k"}', {}), schema)) as Response).status).toBe(415);
    expect(((await readBody(post('{nope'), schema)) as Response).status).toBe(400);
    expect(((await readBody(post('{"key":1}'), schema)) as Response).status).toBe(400);
  });

  it('answer 413 past the cap, declared or streamed, without reading the rest', async () => {
    const big = 'x'.repeat(MAX_BODY_BYTES + 1);
    expect(((await readBody(post(big), schema)) as Response).status).toBe(413);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(4096));
      },
    });
    const res = (await readBody(post(endless), schema)) as Response;
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(MAX_BODY_BYTES / 4096 + 4);
  });

  it('let a body-less route take nothing (or ignorable JSON) only', async () => {
    expect(await skipBody(post(null, {}))).toBeNull();
    expect(await skipBody(post('{}'))).toBeNull();
    expect((await skipBody(post('a=1', { 'content-type': 'application/x-www-form-urlencoded' })))?.status).toBe(415);
    expect((await skipBody(post('x'.repeat(MAX_BODY_BYTES + 1))))?.status).toBe(413);
  });
});

describe('content security policy', () => {
  it('allows scripts by nonce only and names the sync server for sockets and the HTTP fallback', () => {
    const csp = pageCsp({ nonce: 'MDEyMzQ1Njc4OWFiY2RlZg==', connect: syncSources('wss://sync.example.com/', []) });
    expect(csp).toContain("script-src 'self' 'nonce-MDEyMzQ1Njc4OWFiY2RlZg==' 'strict-dynamic'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("connect-src 'self' wss://sync.example.com https://sync.example.com");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("img-src 'self' blob: data:");
    expect(pageCsp({ nonce: 'MDEyMzQ1Njc4OWFiY2RlZg==', connect: [], dev: true })).toMatch(/script-src[^;]*'unsafe-eval'/);
  });

  it('without SYNC_URL names port 1234 of the page’s hosts, and skips malformed ones', () => {
    expect(syncSources(undefined, ['127.0.0.1:3000', 'evil;script-src *'])).toEqual([
      'ws://127.0.0.1:1234',
      'wss://127.0.0.1:1234',
      'http://127.0.0.1:1234',
      'https://127.0.0.1:1234',
    ]);
    expect(syncSources('ws://10.0.0.2:4000', ['ignored'])).toEqual(['ws://10.0.0.2:4000', 'http://10.0.0.2:4000']);
  });
});
