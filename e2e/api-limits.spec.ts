/**
 * The API's trust boundary: bounded bodies (413), JSON only (415), no cross-site posts (403), a quota
 * on new boards (429 + Retry-After), and share links that name the public origin — from Host, from
 * X-Forwarded-* only with TRUST_PROXY=1, or from PUBLIC_URL. Settings other than the main app's are
 * tried on a second app process (e2e/fixtures/web-app.ts).
 */
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { WebAppProcess } from './fixtures/web-app';

const BIG = JSON.stringify({ boardId: 'b', key: 'k'.repeat(32), name: 'x'.repeat(20_000) });
const proxyHeaders = { host: 'internal-app:3000', 'x-forwarded-host': 'whiteboard.example:8443', 'x-forwarded-proto': 'https' };

async function editUrlOf(api: APIRequestContext, headers: Record<string, string>): Promise<string> {
  const res = await api.post('/api/boards', { headers });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { editUrl: string }).editUrl;
}

test('bodies over 16 KiB get 413, other content types 415, cross-site posts 403', async ({ request, board }) => {
  const key = new URLSearchParams(new URL(board.editUrl).hash.slice(1)).get('key')!;
  const json = { 'content-type': 'application/json' };
  for (const path of ['/api/token', `/api/boards/${board.id}/links`, `/api/boards/${board.id}/links/rotate`, '/api/boards']) {
    const res = await request.post(path, { data: BIG, headers: json });
    expect(res.status(), path).toBe(413);
    expect(await res.json()).toEqual({ error: 'body too large (at most 16384 bytes)' });
  }
  const plain = await request.post('/api/token', { data: JSON.stringify({ boardId: board.id, key }), headers: { 'content-type': 'text/plain' } });
  expect(plain.status()).toBe(415);
  const form = await request.post('/api/boards', { form: { a: '1' } });
  expect(form.status()).toBe(415);
  const crossSite = await request.post('/api/token', { data: { boardId: board.id, key }, headers: { 'sec-fetch-site': 'cross-site' } });
  expect(crossSite.status()).toBe(403);
  // the same request from the app itself still works
  const ok = await request.post('/api/token', { data: { boardId: board.id, key }, headers: { 'sec-fetch-site': 'same-origin' } });
  expect(ok.status()).toBe(200);
});

test('share links name the Host the client used; forwarded headers are ignored without TRUST_PROXY', async ({ request }) => {
  expect(await editUrlOf(request, { host: 'whiteboard.example:8443' })).toMatch(/^http:\/\/whiteboard\.example:8443\/b\/[A-Za-z0-9_-]+#key=/);
  expect(await editUrlOf(request, proxyHeaders)).toMatch(/^http:\/\/internal-app:3000\/b\//);
  expect((await request.post('/api/boards', { headers: { host: 'evil.example/x?' } })).status()).toBe(400);
});

test.describe('a second app process', () => {
  const app = new WebAppProcess();
  let api: APIRequestContext;
  test.beforeEach(async ({ syncServer }) => {
    void syncServer; // board links live on the worker's sync server
    test.slow(); // starts its own `next start`
  });
  test.afterEach(async () => {
    await api?.dispose();
    await app.stop();
  });

  test('behind a trusted proxy: links from X-Forwarded-*, quota per last X-Forwarded-For hop (429 + Retry-After)', async () => {
    await app.start({ TRUST_PROXY: '1', BOARD_CREATE_PER_IP_PER_HOUR: '3', BOARD_CREATE_TOTAL_PER_HOUR: '5' });
    api = await playwrightRequest.newContext({ baseURL: app.url });
    expect(await editUrlOf(api, proxyHeaders)).toMatch(/^https:\/\/whiteboard\.example:8443\/b\/[A-Za-z0-9_-]+#key=/);
    // the proxy appends the address it saw; what the client wrote before it does not matter
    const from = (ip: string, forged: string) => ({ ...proxyHeaders, 'x-forwarded-for': `${forged}, ${ip}` });
    expect((await api.post('/api/boards', { headers: from('198.51.100.7', '1.1.1.1') })).status()).toBe(201);
    expect((await api.post('/api/boards', { headers: from('198.51.100.7', '2.2.2.2') })).status()).toBe(201);
    expect((await api.post('/api/boards', { headers: from('198.51.100.7', '3.3.3.3') })).status()).toBe(201);
    const refused = await api.post('/api/boards', { headers: from('198.51.100.7', '4.4.4.4') });
    expect(refused.status()).toBe(429);
    expect(Number(refused.headers()['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers()['retry-after'])).toBeLessThanOrEqual(1200);
    expect((await refused.json()) as { error: string }).toEqual({ error: expect.stringMatching(/^too many new boards; try again in \d+ s$/) });
    // another client has its own quota; the total (5, one spent above without X-Forwarded-For) caps everyone
    expect((await api.post('/api/boards', { headers: from('198.51.100.8', '1.1.1.1') })).status()).toBe(201);
    expect((await api.post('/api/boards', { headers: from('198.51.100.9', '1.1.1.1') })).status()).toBe(429);
  });

  test('with PUBLIC_URL: links name it whatever the request says', async () => {
    await app.start({ PUBLIC_URL: 'https://board.example.com', TRUST_PROXY: '1' });
    api = await playwrightRequest.newContext({ baseURL: app.url });
    expect(await editUrlOf(api, proxyHeaders)).toMatch(/^https:\/\/board\.example\.com\/b\/[A-Za-z0-9_-]+#key=/);
    expect(await editUrlOf(api, {})).toMatch(/^https:\/\/board\.example\.com\/b\//);
  });
});
