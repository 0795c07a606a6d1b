import type { Page } from '@playwright/test';
import { expect, expectConverged, test } from './fixtures';
import { BoardPage } from './fixtures/board-page';
import { E2E_WEB_PORT } from './fixtures/ports';

test('the view link shows a read-only board that updates live', async ({ openUsers, browser }) => {
  const [alice] = await openUsers(1);
  expect(await alice.role()).toBe('editor');

  // the editor copies the view link from the Share panel
  await alice.page.getByTestId('share-button').click();
  const viewLink = await alice.page.getByTestId('share-view-link').inputValue();
  await expect(alice.page.getByTestId('share-edit-link')).toHaveValue(/\/b\/[A-Za-z0-9_-]+#key=/);
  expect(viewLink).toMatch(/\/b\/[A-Za-z0-9_-]+#key=[A-Za-z0-9_-]+$/);
  expect(viewLink).toBe((await alice.shareLinks()).view);

  const victor = new BoardPage(await (await browser.newContext()).newPage(), 'Victor');
  await victor.open(viewLink);
  expect(await victor.role()).toBe('viewer');
  await expect(victor.page.getByTestId('view-only-badge')).toBeVisible();
  await expect(victor.page.getByTestId('tool-rectangle')).toHaveCount(0);
  await expect(victor.page.getByTestId('share-edit-link')).toHaveCount(0);
  await victor.expectStatus('connected');

  // drawing does nothing for the viewer
  await victor.page.keyboard.press('r');
  await victor.drag({ x: 100, y: 100 }, { x: 220, y: 200 });
  expect(await victor.shapes()).toEqual([]);

  // the editor's drawing reaches the viewer live, and nothing of the viewer's reaches the editor
  await alice.page.keyboard.press('Escape');
  await alice.drawRectangle({ x: 200, y: 150 }, { x: 360, y: 260 });
  await expectConverged([alice, victor], 1);
  await alice.selectTool('select');
  const [shape] = await alice.shapes();
  await victor.drag({ x: shape.x + 20, y: shape.y + 20 }, { x: shape.x + 120, y: shape.y + 90 });
  await victor.page.keyboard.press('Delete');
  await alice.drawRectangle({ x: 400, y: 150 }, { x: 480, y: 230 });
  await expectConverged([alice, victor], 2);
  expect((await alice.shapes()).find((s) => s.id === shape.id)).toMatchObject({ x: shape.x, y: shape.y });
  await victor.page.context().close();
});

test('rotating the view link refuses the viewers who used it', async ({ openUsers, openViewers, board, browser }) => {
  const [alice] = await openUsers(1);
  const [victor] = await openViewers(1);
  await victor.expectStatus('connected');

  await alice.page.getByTestId('share-button').click();
  await expect(alice.page.getByTestId('share-view-link')).toHaveValue(board.viewUrl);
  await alice.page.getByTestId('share-view-link-rotate').click();
  await expect(alice.page.getByTestId('share-view-link')).not.toHaveValue(board.viewUrl);
  const newViewLink = await alice.page.getByTestId('share-view-link').inputValue();

  await victor.expectStatus('refused');
  await expect(victor.page.getByTestId('refused-banner')).toContainText('This link no longer works');
  await alice.expectStatus('connected'); // the edit link was not touched

  // the old link is dead for newcomers too; the new one works
  const late = await (await browser.newContext()).newPage();
  await late.goto(board.viewUrl);
  await expect(late.getByTestId('connection-status')).toHaveAttribute('data-status', 'refused');
  await late.context().close();
  const wendy = new BoardPage(await (await browser.newContext()).newPage(), 'Wendy');
  await wendy.open(newViewLink);
  await wendy.expectStatus('connected');
  expect(await wendy.role()).toBe('viewer');
  await wendy.page.context().close();
});

test('rotating the edit link keeps the rotating editor and refuses the other editors', async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  await alice.page.getByTestId('share-button').click();
  const oldEdit = await alice.page.getByTestId('share-edit-link').inputValue();
  await alice.page.getByTestId('share-edit-link-rotate').click();
  await expect(alice.page.getByTestId('share-edit-link')).not.toHaveValue(oldEdit);

  await bob.expectStatus('refused');
  await alice.expectStatus('connected');
  await alice.page.keyboard.press('Escape');
  await alice.drawRectangle({ x: 350, y: 150 }, { x: 460, y: 240 });
  await expect.poll(async () => (await alice.shapes()).length).toBe(1);
});

test('a board URL without a link asks for one', async ({ page, board }) => {
  await page.goto(`/b/${board.id}`);
  await expect(page.getByTestId('need-link')).toContainText('You need a link to open this board');
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'refused');
});

test('a browser that opened a link can come back to /b/<id> alone', async ({ openUsers, board }) => {
  const [alice] = await openUsers(1);
  await alice.goto(board.id);
  expect(await alice.role()).toBe('editor');
  await alice.expectStatus('connected');
});

const keyOf = (link: string) => new URLSearchParams(new URL(link).hash.slice(1)).get('key')!;
const storedKey = (page: Page, boardId: string) => page.evaluate((id) => localStorage.getItem(`commonboard:key:${id}`), boardId);

test('a #key= edit link works in a second browser, and the key never reaches a server', async ({ openUsers, board, browser }) => {
  expect(board.editUrl).toMatch(/\/b\/[A-Za-z0-9_-]+#key=[A-Za-z0-9_-]+$/);
  expect(new URL(board.editUrl).search).toBe('');
  const [alice] = await openUsers(1);
  const bob = new BoardPage(await (await browser.newContext()).newPage(), 'Bob');
  const sent: string[] = [];
  bob.page.on('request', (r) => sent.push(`${r.url()} referer=${r.headers()['referer'] ?? ''}`));
  await bob.open(board.editUrl);
  expect(await bob.role()).toBe('editor');
  expect(bob.page.url()).not.toContain('key='); // taken off the address bar
  await bob.drawRectangle({ x: 300, y: 150 }, { x: 420, y: 240 });
  await expectConverged([alice, bob], 1);
  expect(sent.length).toBeGreaterThan(0);
  expect(sent.filter((line) => line.includes(keyOf(board.editUrl)) || !line.endsWith('referer='))).toEqual([]);
  await bob.page.context().close();
});

test('an old ?key= link still works, is remembered and is taken off the address bar', async ({ board, browser }) => {
  const legacy = `/b/${board.id}?key=${keyOf(board.editUrl)}`;
  const carol = new BoardPage(await (await browser.newContext()).newPage(), 'Carol');
  await carol.open(legacy);
  expect(await carol.role()).toBe('editor');
  expect(new URL(carol.page.url()).searchParams.get('key')).toBeNull();
  expect(new URL(carol.page.url()).searchParams.get('name')).toBe('Carol');
  expect(JSON.parse((await storedKey(carol.page, board.id))!)).toMatchObject({ key: keyOf(board.editUrl) });
  await carol.goto(board.id); // remembered
  expect(await carol.role()).toBe('editor');
  await carol.page.context().close();
});

test('a remembered key expires 30 days after its last use', async ({ openUsers, board }) => {
  const [alice] = await openUsers(1);
  const day = 24 * 60 * 60 * 1000;
  const age = async (days: number) =>
    alice.page.evaluate(
      ([id, key, usedAt]) => localStorage.setItem(`commonboard:key:${id}`, JSON.stringify({ key, usedAt })),
      [board.id, keyOf(board.editUrl), Date.now() - days * day] as const,
    );

  await age(29); // still valid, and using it starts its 30 days again
  await alice.goto(board.id);
  expect(await alice.role()).toBe('editor');
  const refreshed = JSON.parse((await storedKey(alice.page, board.id))!) as { usedAt: number };
  expect(Date.now() - refreshed.usedAt).toBeLessThan(60_000);

  await age(31);
  await alice.page.goto(`/b/${board.id}`);
  await expect(alice.page.getByTestId('need-link')).toContainText('You need a link to open this board');
  await alice.expectStatus('refused');
  expect(await storedKey(alice.page, board.id)).toBeNull(); // forgotten, not just ignored
});

test('the Share panel names the address the page was opened at', async ({ openUsers, board }) => {
  const [alice] = await openUsers(1);
  expect(alice.page.url()).toContain(`http://127.0.0.1:${E2E_WEB_PORT}/`);
  await alice.page.getByTestId('share-button').click();
  const prefix = `http://127.0.0.1:${E2E_WEB_PORT}/b/${board.id}#key=`;
  await expect(alice.page.getByTestId('share-edit-link')).toHaveValue(new RegExp(`^${prefix.replace(/[.]/g, '\\.')}`));
  await expect(alice.page.getByTestId('share-view-link')).toHaveValue(new RegExp(`^${prefix.replace(/[.]/g, '\\.')}`));
  expect(board.editUrl.startsWith(prefix)).toBe(true);
});
