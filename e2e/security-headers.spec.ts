/**
 * Security headers on every app response, and the board working under its Content-Security-Policy:
 * drawing, sync between two browsers, a rich note, exports, the offline shell — with no violation.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { writeRichNote } from './notes-helpers';
import { expect, expectConverged, test } from './fixtures';
import { BoardPage } from './fixtures/board-page';
import { E2E_SYNC_PORT } from './fixtures/ports';

type Watched = { user: BoardPage; violations: string[] };

/** A page in a new context that reports every CSP violation (event or console message) and page error. */
async function watchedPage(browser: Browser): Promise<{ page: Page; violations: string[] }> {
  const context: BrowserContext = await browser.newContext({ acceptDownloads: true });
  const violations: string[] = [];
  await context.exposeFunction('__reportCsp', (line: string) => violations.push(line));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { __reportCsp(l: string): void }).__reportCsp(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (/content security policy/i.test(msg.text())) violations.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => violations.push(`pageerror: ${err.message}`));
  return { page, violations };
}

async function watchedUser(browser: Browser, name: string, link: string): Promise<Watched> {
  const { page, violations } = await watchedPage(browser);
  const user = new BoardPage(page, name);
  await user.open(link);
  return { user, violations };
}

test('pages, API responses, the service worker and assets carry the security headers', async ({ request, board, page }) => {
  const doc = await page.goto(`/b/${board.id}`);
  const assets: string[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/_next/static/')) assets.push(r.url());
  });
  await page.reload();
  await expect.poll(() => assets.length).toBeGreaterThan(0);
  const responses = {
    home: (await request.get('/')).headers(),
    board: doc!.headers(),
    notFound: (await request.get('/b/not%20a%20board')).headers(),
    sw: (await request.get('/sw.js')).headers(),
    asset: (await request.get(assets[0])).headers(),
    api: (await request.post('/api/boards')).headers(),
    apiError: (await request.post('/api/token', { data: 'x', headers: { 'content-type': 'text/plain' } })).headers(),
  };
  for (const [name, h] of Object.entries(responses)) {
    expect.soft(h['referrer-policy'], name).toBe('no-referrer');
    expect.soft(h['x-frame-options'], name).toBe('DENY');
    expect.soft(h['x-content-type-options'], name).toBe('nosniff');
    expect.soft(h['content-security-policy'], name).toContain("frame-ancestors 'none'");
    expect.soft(h['x-powered-by'], name).toBeUndefined();
  }
  const csp = responses.board['content-security-policy'];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'(;|$)/);
  expect(csp).not.toContain('unsafe-eval');
  expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${E2E_SYNC_PORT} http://127.0.0.1:${E2E_SYNC_PORT}`);
  expect(responses.api['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  // a fresh nonce per response, and on every inline script of the page
  expect((await request.get('/')).headers()['content-security-policy']).not.toBe(responses.home['content-security-policy']);
  const nonce = csp.match(/'nonce-([^']+)'/)![1];
  const scripts = await page.evaluate(() => [...document.scripts].map((s) => ({ nonce: s.nonce, src: s.src })));
  expect(scripts.length).toBeGreaterThan(1);
  // the page's nonce changed on reload: compare with the reloaded document's header
  const reloaded = await page.reload();
  const nonce2 = reloaded!.headers()['content-security-policy'].match(/'nonce-([^']+)'/)![1];
  expect(nonce2).not.toBe(nonce);
  const after = await page.evaluate(() => [...document.scripts].filter((s) => !s.src).map((s) => s.nonce));
  expect(after.every((n) => n === nonce2)).toBe(true);
});

test('the board works under its CSP: draw, sync, a rich note, exports, offline shell; nothing blocked', async ({ board, browser }) => {
  test.slow(); // two contexts, a note editor and three downloads on a shared 2-core machine
  const alice = await watchedUser(browser, 'Alice', board.editUrl);
  const bob = await watchedUser(browser, 'Bob', board.editUrl);
  await alice.user.drawRectangle({ x: 300, y: 150 }, { x: 420, y: 240 });
  await bob.user.drawRectangle({ x: 500, y: 150 }, { x: 620, y: 240 });
  await writeRichNote(alice.user, { x: 300, y: 320 }, { x: 520, y: 460 });
  await expectConverged([alice.user, bob.user], 3);

  const page = alice.user.page;
  await page.keyboard.press('Escape');
  for (const kind of ['png', 'svg', 'json']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${kind}`).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`\\.${kind}$`));
  }
  await expect.poll(() => page.evaluate(() => window.commonboard!.getSync().offlineReady), { timeout: 15_000 }).toBe(true);
  // the theme's pre-paint inline script ran (it carries the nonce)
  await page.getByTestId('theme-toggle').click();
  await page.reload();
  await page.waitForFunction(() => typeof window.commonboard?.whenSynced === 'function');
  expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
  await alice.user.whenSynced();

  expect(alice.violations).toEqual([]);
  expect(bob.violations).toEqual([]);
  await Promise.all([alice, bob].map((w) => w.user.page.context().close()));
});

test('the home page creates a board under the CSP with nothing blocked', async ({ browser, syncServer }) => {
  void syncServer;
  const { page, violations } = await watchedPage(browser);
  await page.goto('/');
  await page.getByTestId('new-board').click();
  await page.waitForURL(/\/b\/[A-Za-z0-9_-]{20,}$/);
  await page.waitForFunction(() => typeof window.commonboard?.whenSynced === 'function');
  await page.evaluate(() => window.commonboard!.whenSynced());
  expect(await page.evaluate(() => window.commonboard!.getRole())).toBe('editor');
  expect(violations).toEqual([]);
  await page.context().close();
});
