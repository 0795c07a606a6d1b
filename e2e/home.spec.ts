import { expect, test } from './fixtures';

test('"New board" opens a fresh board with an unguessable id, listed afterwards as recent', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('new-board').click();
  await page.waitForURL(/\/b\/[A-Za-z0-9_-]{20,}$/);
  const boardId = new URL(page.url()).pathname.split('/').pop()!;
  await page.waitForFunction(() => typeof window.commonboard?.whenSynced === 'function');
  await page.evaluate(() => window.commonboard!.whenSynced());
  expect(await page.evaluate(() => window.commonboard!.boardId)).toBe(boardId);

  await page.goto('/');
  await expect(page.getByTestId('recent-board').first()).toHaveAttribute('href', `/b/${boardId}`);
});

test('an invalid board id is a 404, not a board', async ({ page }) => {
  const response = await page.goto('/b/not%20a%20board');
  expect(response?.status()).toBe(404);
});
