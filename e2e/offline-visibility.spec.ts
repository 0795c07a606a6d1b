/**
 * A tab that becomes visible retries at once instead of sitting out its backoff wait (issue #7):
 * a laptop that wakes up may deliver no `online` event, but the user looking at the tab does.
 * Real Chromium, the real sync server; the page's own `online` handling is kept out of the way so
 * only `visibilitychange` can end the 30 s offline wait.
 */
import { expect, test } from './fixtures';

test.describe.configure({ timeout: 90_000 });

test('becoming visible reconnects at once instead of after the pending backoff wait', async ({ openUsers }) => {
  const [alice] = await openUsers(1);
  const page = alice.page;
  await alice.expectStatus('connected');

  // The browser reports offline (navigator.onLine + `offline`, as on a dropped Wi-Fi) and later online
  // again WITHOUT an `online` event: the case of a laptop waking up. Only visibility can end the wait.
  await page.evaluate(() => {
    let online = true;
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
    (window as unknown as { setOnline(v: boolean): void }).setOnline = (v) => (online = v);
  });
  await page.evaluate(() => {
    (window as unknown as { setOnline(v: boolean): void }).setOnline(false);
    window.dispatchEvent(new Event('offline'));
  });
  await alice.expectStatus('disconnected');
  // the next attempt waits the offline retry time (30 s)
  await expect.poll(() => page.evaluate(() => (window.commonboard!.getSync().retryAt ?? 0) - Date.now())).toBeGreaterThan(20_000);
  await page.evaluate(() => (window as unknown as { setOnline(v: boolean): void }).setOnline(true));

  // still waiting: without a wake-up the attempt is scheduled far in the future
  const retryAt = await page.evaluate(() => window.commonboard!.getSync().retryAt);
  expect(retryAt).not.toBeNull();
  expect(retryAt! - (await page.evaluate(() => Date.now()))).toBeGreaterThan(15_000);
  await alice.expectStatus('disconnected');

  // hidden, then visible again (what the browser does when the user returns to the tab)
  await page.evaluate(() => {
    const setVisibility = (state: DocumentVisibilityState) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    };
    setVisibility('hidden');
    setVisibility('visible');
  });

  // connected well before the scheduled attempt would have started
  await alice.expectStatus('connected');
  const connectedAt = await page.evaluate(() => Date.now());
  expect(connectedAt).toBeLessThan(retryAt! - 5_000);
  expect((await page.evaluate(() => window.commonboard!.getSync())).retryAt).toBeNull();

  // and the connection works: an edit reaches the server and is acknowledged
  await alice.drawRectangle({ x: 300, y: 100 }, { x: 380, y: 160 });
  await expect(page.getByTestId('unsynced-count')).toHaveAttribute('data-count', '0', { timeout: 15_000 });
});
