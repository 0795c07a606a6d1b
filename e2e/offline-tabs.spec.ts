/**
 * Two tabs of one board in one browser share the stored "not yet saved" count (localStorage). A tab
 * leaving with nothing pending must not erase what the other tab has pending: reopened while the
 * sync server is down, the board still says its changes are not saved, and they reach the server
 * once it is back. (The server is stopped rather than the context set offline: Chromium's offline
 * emulation let one tab's WebSocket reconnect in some runs.)
 */
import { BoardPage } from './fixtures/board-page';
import { expect, expectConverged, test } from './fixtures';

const sync = (user: BoardPage) => user.page.evaluate(() => window.commonboard!.getSync());

test.describe.configure({ timeout: 120_000 });

test("a tab closing with nothing pending keeps the other tab's unsaved count", async ({ openUsers, syncServer }) => {
  const [editor, bob] = await openUsers(2);
  await editor.drawRectangle({ x: 300, y: 100 }, { x: 380, y: 160 });
  await expectConverged([editor, bob], 1);

  const quiet = new BoardPage(await editor.page.context().newPage(), 'Same user, second tab');
  await quiet.open(editor.page.url());

  await syncServer.stop();
  // with the server down the status moves between "connecting" and "disconnected"
  for (const tab of [editor, quiet]) await expect(tab.status).not.toHaveAttribute('data-status', 'connected');
  await editor.drawRectangle({ x: 300, y: 220 }, { x: 380, y: 280 });
  await editor.drawRectangle({ x: 450, y: 220 }, { x: 530, y: 280 });
  await expect.poll(async () => (await sync(editor)).unsaved).toBeGreaterThan(0);
  await expect.poll(async () => (await quiet.shapes()).length).toBe(3); // tabs share edits locally
  expect((await sync(quiet)).unsaved).toBe(0); // the quiet tab made no change of its own

  // the editing tab closes (accepting the unsaved-changes prompt), then the quiet tab reloads
  editor.page.on('dialog', (dialog) => void dialog.accept());
  await editor.page.close({ runBeforeUnload: true });
  await expect.poll(() => editor.page.isClosed()).toBe(true);
  quiet.page.on('dialog', (dialog) => void dialog.accept());
  await quiet.page.reload();
  await quiet.page.waitForFunction(() => typeof window.commonboard?.getSync === 'function');
  await expect.poll(async () => (await sync(quiet)).localLoaded).toBe(true);
  await expect.poll(async () => (await quiet.shapes()).length).toBe(3);
  // the closed tab's changes still count as not saved
  await expect.poll(async () => (await sync(quiet)).unsaved).toBeGreaterThan(0);
  await expect(quiet.page.getByTestId('unsynced-count')).toContainText('not yet saved to the server');
  expect((await bob.shapes()).length).toBe(1);

  // the server is back: the changes reach it and the count clears
  await syncServer.start();
  await expectConverged([quiet, bob], 3);
  await expect(quiet.page.getByTestId('unsynced-count')).toHaveAttribute('data-count', '0', { timeout: 20_000 });
});
