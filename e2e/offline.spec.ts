/**
 * Offline-first (issue #7): edits made without a network or without a server are kept (Y.Doc +
 * IndexedDB), counted as "not yet saved" until the server confirms it stored them, and merged
 * when the connection returns. Real browser contexts, the real sync server process.
 */
import type { Page } from '@playwright/test';
import { clickAt } from './canvas-helpers';
import type { BoardPage } from './fixtures/board-page';
import { expect, expectConverged, test } from './fixtures';

const sync = (user: BoardPage) => user.page.evaluate(() => window.commonboard!.getSync());
const unsaved = (user: BoardPage) => user.page.getByTestId('unsynced-count');

async function typeText(user: BoardPage, at: { x: number; y: number }, text: string): Promise<void> {
  await user.selectTool('text');
  await clickAt(user, at);
  await expect(user.page.getByTestId('text-editor')).toBeFocused();
  await user.page.keyboard.type(text);
  await user.page.keyboard.press('Escape');
}

const texts = (shapes: { type: string; text?: unknown }[]) =>
  shapes
    .filter((s) => s.type === 'text')
    .map((s) => s.text)
    .sort();

/** Counts every value `data-count` takes while the page lives (to prove the count was shown, then cleared). */
async function recordUnsavedCounts(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { __unsavedSeen: number[] }).__unsavedSeen = seen;
    const el = document.querySelector('[data-testid="unsynced-count"]')!;
    new MutationObserver(() => seen.push(Number(el.getAttribute('data-count')))).observe(el, { attributes: true });
  });
  return () => page.evaluate(() => (window as unknown as { __unsavedSeen: number[] }).__unsavedSeen);
}

test.describe.configure({ timeout: 90_000 });

test('A edits offline while B keeps editing; both converge and A saw its changes pending, then saved', async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  await alice.drawRectangle({ x: 300, y: 100 }, { x: 380, y: 160 });
  await expectConverged([alice, bob], 1);
  await expect(unsaved(alice)).toHaveAttribute('data-count', '0');
  const seen = await recordUnsavedCounts(alice.page);

  await alice.page.context().setOffline(true);
  await alice.expectStatus('disconnected');
  await expect(alice.status).toContainText('Offline');
  await alice.drawRectangle({ x: 300, y: 220 }, { x: 380, y: 280 });
  await typeText(alice, { x: 320, y: 360 }, 'written offline');
  await expect.poll(async () => (await sync(alice)).unsaved).toBeGreaterThan(0);
  await expect(unsaved(alice)).toContainText('not yet saved to the server');

  await bob.drawRectangle({ x: 600, y: 100 }, { x: 700, y: 180 });
  await typeText(bob, { x: 620, y: 300 }, 'bob meanwhile');
  await expect.poll(async () => (await bob.shapes()).length).toBe(3);
  expect((await bob.shapes()).length).toBe(3); // nothing of Alice's offline work reached Bob

  await alice.page.context().setOffline(false);
  await alice.expectStatus('connected');
  await expectConverged([alice, bob], 5);
  expect(texts(await bob.shapes())).toEqual(['bob meanwhile', 'written offline']);
  await expect(unsaved(alice)).toHaveAttribute('data-count', '0', { timeout: 15_000 });
  const counts = await seen();
  expect(Math.max(...counts)).toBeGreaterThan(0);
  expect(counts.at(-1)).toBe(0);
});

test('the sync server is killed while A and B edit; both keep working, then converge and the server stored everything', async ({
  openUsers,
  syncServer,
  boardId,
}) => {
  const [alice, bob] = await openUsers(2);
  await alice.drawRectangle({ x: 300, y: 100 }, { x: 380, y: 160 });
  await expectConverged([alice, bob], 1);

  await syncServer.kill9();
  await expect(alice.status).not.toHaveAttribute('data-status', 'connected');
  await expect(bob.status).not.toHaveAttribute('data-status', 'connected');
  await alice.drawRectangle({ x: 300, y: 220 }, { x: 380, y: 280 });
  await typeText(alice, { x: 320, y: 360 }, 'alice during the outage');
  await bob.drawRectangle({ x: 600, y: 100 }, { x: 700, y: 180 });
  await typeText(bob, { x: 620, y: 300 }, 'bob during the outage');
  // both keep working locally, and say the work is not saved yet, with a retry countdown
  expect((await alice.shapes()).length).toBe(3);
  expect((await bob.shapes()).length).toBe(3);
  await expect.poll(async () => (await sync(alice)).unsaved).toBeGreaterThan(0);
  await expect.poll(async () => (await sync(bob)).unsaved).toBeGreaterThan(0);
  await expect(alice.status).toHaveAttribute('data-retry-in', /^[0-9]+$/, { timeout: 20_000 });

  await syncServer.start();
  // reconnects are jittered and back off while the server is down: allow for the longest wait
  await expect(alice.status).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await expect(bob.status).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await expectConverged([alice, bob], 5);
  await expect(unsaved(alice)).toHaveAttribute('data-count', '0', { timeout: 20_000 });
  await expect(unsaved(bob)).toHaveAttribute('data-count', '0', { timeout: 20_000 });

  // "saved" means on the server's disk: kill it again, then a newcomer with no local copy loads it
  await syncServer.kill9();
  await syncServer.start();
  const [carol] = await openUsers(1, { boardId, names: ['Carol'] });
  await expectConverged([alice, bob, carol], 5);
  expect(texts(await carol.shapes())).toEqual(['alice during the outage', 'bob during the outage']);
});

test('a reload while offline shows the board with the offline edits, which reach the others once back online', async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  await alice.drawRectangle({ x: 300, y: 100 }, { x: 380, y: 160 });
  await expectConverged([alice, bob], 1);
  // the offline shell (service worker) has cached the page, so it can load with no network
  await expect.poll(async () => (await sync(alice)).offlineReady, { timeout: 20_000 }).toBe(true);

  await alice.page.context().setOffline(true);
  await alice.expectStatus('disconnected');
  await alice.drawRectangle({ x: 300, y: 220 }, { x: 380, y: 280 });
  await typeText(alice, { x: 320, y: 360 }, 'kept across a reload');
  await expect.poll(async () => (await sync(alice)).unsaved).toBeGreaterThan(0);
  const before = await alice.shapes();

  // leaving with unsaved changes asks first (beforeunload); accept and reload
  const asked: string[] = [];
  alice.page.on('dialog', (dialog) => {
    asked.push(dialog.type());
    void dialog.accept();
  });
  await alice.page.reload();
  await alice.page.waitForFunction(() => typeof window.commonboard?.getSync === 'function');
  await expect.poll(async () => (await sync(alice)).localLoaded).toBe(true);
  await expect.poll(async () => JSON.stringify(await alice.shapes())).toBe(JSON.stringify(before));
  expect(asked).toEqual(['beforeunload']);
  await alice.expectStatus('disconnected');
  // changes from before the reload still count as unsaved
  await expect.poll(async () => (await sync(alice)).unsaved).toBeGreaterThan(0);
  expect((await bob.shapes()).length).toBe(1);

  await alice.page.context().setOffline(false);
  await expectConverged([alice, bob], 3);
  expect(texts(await bob.shapes())).toEqual(['kept across a reload']);
  await expect(unsaved(alice)).toHaveAttribute('data-count', '0', { timeout: 20_000 });
});

test('with the sync server down, a board opened before loads from the browser copy and stays editable', async ({ openUsers, syncServer }) => {
  const [alice] = await openUsers(1);
  await alice.drawRectangle({ x: 300, y: 100 }, { x: 380, y: 160 });
  await expect(unsaved(alice)).toHaveAttribute('data-count', '0');
  const before = await alice.shapes();

  await syncServer.kill9();
  await alice.page.reload();
  await alice.page.waitForFunction(() => typeof window.commonboard?.getSync === 'function');
  await expect.poll(async () => JSON.stringify(await alice.shapes())).toBe(JSON.stringify(before));
  await expect(alice.status).not.toHaveAttribute('data-status', 'connected');
  await alice.drawRectangle({ x: 300, y: 220 }, { x: 380, y: 280 });
  await expect.poll(async () => (await sync(alice)).unsaved).toBeGreaterThan(0);

  await syncServer.start();
  await expect(alice.status).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await expect(unsaved(alice)).toHaveAttribute('data-count', '0', { timeout: 20_000 });
  expect((await alice.shapes()).length).toBe(2);
});

test('a deploy (graceful restart) while A keeps drawing: A and B resync without a reload, nothing drawn in the gap is lost', async ({
  openUsers,
  syncServer,
}) => {
  const [alice, bob] = await openUsers(2);
  await alice.drawRectangle({ x: 300, y: 100 }, { x: 380, y: 160 });
  await expectConverged([alice, bob], 1);

  const restarting = syncServer.restart(); // SIGTERM: drain (1012 closes spread over DRAIN_MS), flush, exit, start again
  for (let i = 0; i < 3; i++) await alice.drawRectangle({ x: 300 + i * 120, y: 250 }, { x: 380 + i * 120, y: 310 });
  await restarting;
  await alice.drawRectangle({ x: 300, y: 400 }, { x: 380, y: 460 });
  await expect(alice.status).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await expect(bob.status).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await expectConverged([alice, bob], 5);
  await expect(unsaved(alice)).toHaveAttribute('data-count', '0', { timeout: 20_000 });
});
