/**
 * Version history end to end: real app API, real version service, several browser contexts on one
 * board. A restore is one forward change every peer receives, and one undo step for the user who
 * made it; a reset to the checkpoint says what it undoes first; viewers can look but not change;
 * deleting the board disconnects everyone with "This board was deleted".
 */
import type { Page } from '@playwright/test';
import { expect, expectConverged, test } from './fixtures';
import type { BoardPage } from './fixtures/board-page';
import { history } from './history-helpers';

const item = (page: Page, id: number) => page.locator(`[data-testid="history-panel"] [data-testid="version-item"][data-version-id="${id}"]`);
const ids = async (user: BoardPage) => (await user.shapes()).map((s) => s.id).sort();

/** Saves a named version through the panel (which opens) and returns its id. */
async function saveVersion(user: BoardPage, name: string): Promise<number> {
  await user.page.getByTestId('save-version').click();
  await user.page.getByTestId('save-version-name').fill(name);
  await user.page.getByTestId('save-version-confirm').click();
  await expect(user.page.getByTestId('save-version-dialog')).toHaveCount(0);
  const listed = user.page.locator('[data-testid="version-item"]', { hasText: name });
  await expect(listed).toHaveCount(1);
  return Number(await listed.getAttribute('data-version-id'));
}

test('restore an earlier version for everyone, undo it, reset to the checkpoint', async ({ openUsers }, testInfo) => {
  test.setTimeout(150_000); // three contexts on a 2-core box
  const [alice, bob, carol] = await openUsers(3);
  const everyone = [alice, bob, carol];
  await alice.drawRectangle({ x: 260, y: 140 }, { x: 340, y: 200 });
  await bob.drawRectangle({ x: 380, y: 140 }, { x: 460, y: 200 });
  await carol.drawRectangle({ x: 500, y: 140 }, { x: 580, y: 200 });
  await expectConverged(everyone, 3);
  const original = await ids(alice);

  await alice.page.getByTestId('history-button').click();
  await expect(alice.page.getByTestId('history-panel')).toBeVisible();
  const saved = await saveVersion(alice, 'Three shapes');

  // Bob deletes everything
  await bob.canvas.click({ position: { x: 700, y: 400 } });
  await bob.page.keyboard.press('Control+a');
  await bob.page.keyboard.press('Delete');
  await expectConverged(everyone, 0);

  // Alice views the saved version (read-only, on her canvas) and restores it
  await item(alice.page, saved).getByTestId('version-open').click();
  await expect(alice.page.getByTestId('version-bar')).toBeVisible();
  await expect(alice.page.getByTestId('version-diff-legend')).toHaveAttribute('data-removed', '3');
  expect((await history(alice).viewing())?.shapes.map((s) => s.id).sort()).toEqual(original);
  await alice.page.getByTestId('version-restore').click();
  await expect(alice.page.getByTestId('version-bar')).toHaveCount(0);
  await expectConverged(everyone, 3);
  expect(await ids(carol)).toEqual(original);
  // the board as it was before the restore was kept as a version first
  await expect(alice.page.locator('[data-testid="version-item"][data-kind="pre-restore"]')).toHaveCount(1);
  await expect(alice.page.locator('[data-testid="version-item"][data-kind="pre-restore"]')).toContainText('Before restoring “Three shapes”');
  await alice.page.screenshot({ path: testInfo.outputPath('restored.png') });

  // one undo step takes the whole restore back, for everyone
  await alice.page.keyboard.press('Control+z');
  await expectConverged(everyone, 0);

  // demo checkpoint: mark, change the board, reset (the confirmation counts what it undoes)
  await item(alice.page, saved).getByTestId('version-mark-checkpoint').click();
  await expect(item(alice.page, saved).getByTestId('version-checkpoint-badge')).toBeVisible();
  await carol.drawRectangle({ x: 300, y: 320 }, { x: 420, y: 400 });
  await expectConverged(everyone, 1);
  await alice.page.getByTestId('reset-checkpoint').click();
  // 1 shape added since the checkpoint will go, 3 removed since will come back
  await expect(alice.page.getByTestId('reset-confirm-text')).toHaveAttribute('data-count', '4');
  await expect(alice.page.getByTestId('reset-confirm-text')).toContainText('undoes 4 changes');
  await alice.page.screenshot({ path: testInfo.outputPath('reset-confirm.png') });
  await alice.page.getByTestId('reset-confirm').click();
  await expectConverged(everyone, 3);
  expect(await ids(bob)).toEqual(original);
  await expect(alice.page.locator('[data-testid="version-item"][data-kind="pre-restore"]')).toHaveCount(2);
});

test('viewers see history without controls and cannot restore by API; deleting the board closes it for everyone', async ({ openUsers, openViewers, request, boardId }, testInfo) => {
  test.setTimeout(120_000);
  const [alice, bob] = await openUsers(2);
  const [victor] = await openViewers(1);
  await alice.drawRectangle({ x: 260, y: 140 }, { x: 340, y: 200 });
  await expectConverged([alice, bob, victor], 1);
  await alice.page.getByTestId('history-button').click();
  const saved = await saveVersion(alice, 'One shape');

  // the viewer: history to read, no control that changes it
  const listRequest = victor.page.waitForRequest((r) => r.url().endsWith('/versions') && r.method() === 'GET');
  await victor.page.getByTestId('history-button').click();
  const viewerToken = (await listRequest).headers().authorization;
  expect(viewerToken).toMatch(/^Bearer /);
  await expect(item(victor.page, saved)).toBeVisible();
  for (const id of ['save-version', 'reset-checkpoint', 'version-mark-checkpoint', 'version-delete', 'delete-board']) {
    await expect(victor.page.getByTestId(id)).toHaveCount(0);
  }
  await item(victor.page, saved).getByTestId('version-open').click();
  await expect(victor.page.getByTestId('version-bar')).toBeVisible();
  await expect(victor.page.getByTestId('version-restore')).toHaveCount(0);
  await victor.page.getByTestId('version-back').click();

  // …and the API refuses the viewer's token
  const restore = await request.post(`/api/boards/${boardId}/versions/${saved}/restore`, { headers: { authorization: viewerToken } });
  expect(restore.status()).toBe(403);

  // Alice deletes the board (board menu, under the history panel): she goes home, everyone else sees it was deleted
  await alice.page.getByTestId('history-close').click();
  await alice.page.getByTestId('delete-board').click();
  await alice.page.getByTestId('delete-board-confirm').click();
  await expect(alice.page).toHaveURL(/\/$/);
  for (const other of [bob, victor]) {
    await expect(other.page.getByTestId('board-deleted')).toBeVisible();
    await expect(other.page.getByTestId('board-deleted')).toContainText('This board was deleted');
  }
  await victor.page.screenshot({ path: testInfo.outputPath('board-deleted.png') });
});
