/**
 * Live presence across real browser contexts: cursors, who is here, selection outlines, follow and
 * presenter mode, laser, and leaving. Assertions go through window.commonboard (positions in board
 * coordinates; at the initial camera a board unit is a CSS pixel from the canvas' top-left corner).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { BoardPage, Point } from './fixtures/board-page';

async function moveTo(user: BoardPage, to: Point, steps = 10): Promise<void> {
  const box = await user.canvas.boundingBox();
  if (!box) throw new Error('canvas is not visible');
  await user.page.mouse.move(box.x + to.x, box.y + to.y, { steps });
}

function cursorOf(user: BoardPage, name: string) {
  return user.page.evaluate((n) => window.commonboard!.getRemoteCursors()[n] ?? null, name);
}

function presence(user: BoardPage) {
  return user.page.evaluate(() => window.commonboard!.getPresence());
}

function camera(page: Page) {
  return page.evaluate(() => window.commonboard!.getCamera());
}

function hexToRgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

async function reopen(user: BoardPage, boardId: string, extra: string): Promise<void> {
  await user.page.goto(`/b/${encodeURIComponent(boardId)}?name=${encodeURIComponent(user.name)}&${extra}`);
  await user.page.waitForFunction(() => typeof window.commonboard?.whenSynced === 'function');
  await user.whenSynced();
}

test('three users: cursors, settling, selection outlines, follow, and leaving', async ({ openUsers }) => {
  test.slow(); // three browser contexts plus a wait of up to the awareness timeout on a 2-core box
  const [alice, bob, carol] = await openUsers(3);
  const aliceColor = (await alice.page.evaluate(() => window.commonboard!.getUser())).color;

  // who is here
  for (const viewer of [bob, carol]) {
    await expect(viewer.page.getByTestId('viewer-count')).toHaveText('3 here');
    await expect(viewer.page.locator('[data-testid="person"][data-user="Alice"]')).toHaveAttribute('data-state', 'active');
  }

  // A moves; B and C see A's cursor with A's name and colour, and it settles on A's last position
  await moveTo(alice, { x: 120, y: 90 }, 2);
  await moveTo(alice, { x: 400, y: 300 }, 25);
  for (const viewer of [bob, carol]) {
    const cursor = viewer.page.locator('[data-testid="remote-cursor"][data-user="Alice"]');
    await expect(cursor).toBeVisible();
    await expect(cursor).toContainText('Alice');
    await expect(cursor).toHaveCSS('color', hexToRgb(aliceColor));
    await expect.poll(() => cursorOf(viewer, 'Alice')).toMatchObject({ received: { x: 400, y: 300 }, drawn: { x: 400, y: 300 } });
    // the element is where the drawn position says
    const canvasBox = (await viewer.canvas.boundingBox())!;
    const el = (await cursor.boundingBox())!;
    expect(Math.abs(el.x - (canvasBox.x + 400))).toBeLessThan(2);
    expect(Math.abs(el.y - (canvasBox.y + 300))).toBeLessThan(2);
  }

  // A selects a shape (a new rectangle is selected); B sees the outline in A's colour
  await alice.drawRectangle({ x: 500, y: 200 }, { x: 640, y: 300 });
  await expect.poll(async () => (await alice.shapes()).length).toBe(1);
  const [shape] = await alice.shapes();
  const outline = bob.page.locator(`[data-testid="remote-selection"][data-user="Alice"][data-shape="${shape.id}"]`);
  await expect(outline).toHaveCount(1);
  await expect(outline.locator('rect')).toHaveAttribute('stroke', aliceColor);
  // deselecting removes it
  await alice.page.keyboard.press('Escape');
  await expect(outline).toHaveCount(0);

  // B follows A: B's camera tracks A's pans and zooms
  await bob.page.locator('[data-testid="person"][data-user="Alice"]').click();
  await expect(bob.page.getByTestId('follow-banner')).toContainText('Following Alice');
  expect(await bob.page.evaluate(() => window.commonboard!.getFollowing())).toMatchObject({ name: 'Alice', reason: 'click' });
  await moveTo(alice, { x: 300, y: 300 }, 1);
  await alice.page.mouse.wheel(140, 90);
  await alice.page.keyboard.down('Control');
  await alice.page.mouse.wheel(0, -60);
  await alice.page.keyboard.up('Control');
  const target = await camera(alice.page);
  expect(target.zoom).toBeGreaterThan(1.2);
  await expect
    .poll(async () => {
      const cam = await camera(bob.page);
      return Math.abs(cam.x - target.x) < 0.5 && Math.abs(cam.y - target.y) < 0.5 && Math.abs(cam.zoom - target.zoom) < 0.01;
    })
    .toBe(true);
  // Carol did not follow
  expect((await camera(carol.page)).zoom).toBe(1);

  // any manual pan stops following
  await moveTo(bob, { x: 300, y: 300 }, 1);
  await bob.page.mouse.wheel(0, 200);
  await expect(bob.page.getByTestId('follow-banner')).toHaveCount(0);
  expect(await bob.page.evaluate(() => window.commonboard!.getFollowing())).toBeNull();

  // A's tab closes: A disappears from B and C within the awareness timeout
  await alice.page.context().close();
  for (const viewer of [bob, carol]) {
    await expect.poll(async () => (await presence(viewer)).map((p) => p.name), { timeout: 35_000 }).toEqual(
      viewer === bob ? ['Carol'] : ['Bob'],
    );
    await expect(viewer.page.locator('[data-testid="remote-cursor"][data-user="Alice"]')).toHaveCount(0);
    await expect(viewer.page.getByTestId('viewer-count')).toHaveText('2 here');
  }
});

test('with ?interpolate=0 the drawn cursor is always exactly the received one', async ({ openUsers, boardId }) => {
  const [alice, bob] = await openUsers(2);
  await reopen(bob, boardId, 'interpolate=0');
  for (let i = 0; i < 6; i++) {
    await moveTo(alice, { x: 100 + i * 60, y: 120 + i * 25 }, 3);
    const c = await cursorOf(bob, 'Alice');
    if (c) expect(c.drawn).toEqual(c.received);
  }
  await expect.poll(() => cursorOf(bob, 'Alice')).toMatchObject({ received: { x: 400, y: 245 }, drawn: { x: 400, y: 245 } });
});

test('presenter mode: everyone follows the presenter, a follower can leave', async ({ openUsers }) => {
  test.slow(); // three browser contexts on a 2-core box
  const [alice, bob, carol] = await openUsers(3);
  await alice.page.getByTestId('spotlight-button').click();
  await expect(alice.page.getByTestId('spotlight-button')).toHaveAttribute('aria-pressed', 'true');
  for (const viewer of [bob, carol]) {
    await expect(viewer.page.getByTestId('follow-banner')).toContainText('Alice is presenting');
    await expect(viewer.page.locator('[data-testid="person"][data-user="Alice"]')).toHaveAttribute('data-following', 'true');
  }

  // Carol leaves and is not pulled back in
  await carol.page.getByTestId('stop-following').click();
  await expect(carol.page.getByTestId('follow-banner')).toHaveCount(0);

  await moveTo(alice, { x: 300, y: 300 }, 1);
  await alice.page.mouse.wheel(-250, 120);
  const target = await camera(alice.page);
  await expect.poll(async () => Math.abs((await camera(bob.page)).x - target.x) < 0.5).toBe(true);
  expect(await carol.page.evaluate(() => window.commonboard!.getFollowing())).toBeNull();
  expect((await camera(carol.page)).x).toBe(0);

  // the presenter stops: followers are released
  await alice.page.getByTestId('spotlight-button').click();
  await expect(bob.page.getByTestId('follow-banner')).toHaveCount(0);
});

test('idle, away and laser show up for others', async ({ openUsers, boardId }) => {
  const [alice, bob] = await openUsers(2);
  await reopen(alice, boardId, 'idleAfter=1500');
  const person = bob.page.locator('[data-testid="person"][data-user="Alice"]');
  await expect(person).toHaveAttribute('data-state', 'idle', { timeout: 15_000 });
  await moveTo(alice, { x: 200, y: 200 }, 2);
  await expect(person).toHaveAttribute('data-state', 'active');

  // the tab is hidden (headless Chromium never hides a tab, so the page is told it is)
  await alice.page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await expect(person).toHaveAttribute('data-state', 'away');
  await expect(bob.page.locator('[data-testid="remote-cursor"][data-user="Alice"]')).toHaveAttribute('data-state', 'away');
  await alice.page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await expect(person).toHaveAttribute('data-state', 'active');

  await alice.page.getByTestId('laser-button').click();
  await moveTo(alice, { x: 500, y: 260 }, 10);
  await expect(bob.page.locator('[data-testid="laser"][data-user="Alice"]')).toBeVisible();
  await alice.page.getByTestId('laser-button').click();
  await expect(bob.page.locator('[data-testid="laser"][data-user="Alice"]')).toHaveCount(0);
});
