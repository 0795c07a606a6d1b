import { clickAt, drawWith } from './canvas-helpers';
import { currentStyle, mod, theme } from './canvas-io-helpers';
import { expect, expectConverged, test } from './fixtures';
import type { BoardPage } from './fixtures/board-page';

type Styled = { id: string; type: string; style: { stroke: string; fill: string; strokeWidth: number; dash: string; opacity: number; fontSize: number } };
const styled = async (u: BoardPage) => (await u.shapes()) as unknown as Styled[];

test('the style panel edits every selected shape in one undo step and shows mixed values', async ({ openUsers }) => {
  test.slow(); // two contexts and many UI steps on a shared 2-core machine
  const [alice, bob] = await openUsers(2);
  await drawWith(alice, 'rectangle', { x: 300, y: 200 }, { x: 420, y: 280 });
  await drawWith(alice, 'ellipse', { x: 500, y: 200 }, { x: 620, y: 280 });
  await alice.page.keyboard.press(`${mod}+a`);
  const panel = alice.page.getByTestId('style-panel');
  await expect(panel).toHaveAttribute('data-count', '2');

  await alice.page.getByTestId('style-stroke-red').click();
  await alice.page.getByTestId('style-fill-semi').click();
  await alice.page.getByTestId('style-width-4').click();
  await alice.page.getByTestId('style-dash-dashed').click();
  await alice.page.getByTestId('style-opacity').fill('50');
  await alice.page.getByTestId('style-opacity').blur(); // keys typed into a focused input are not board shortcuts
  await expectConverged([alice, bob], 2);
  for (const s of await styled(bob)) {
    expect(s.style).toMatchObject({ stroke: '#e03131', fill: 'semi', strokeWidth: 4, dash: 'dashed', opacity: 0.5 });
  }
  await expect(alice.page.getByTestId('style-stroke-red')).toHaveAttribute('aria-pressed', 'true');

  // one edit = one undo step for both shapes
  await alice.page.keyboard.press(`${mod}+z`);
  await expect.poll(async () => (await styled(bob)).map((s) => s.style.opacity)).toEqual([1, 1]);
  expect((await styled(bob)).map((s) => s.style.dash)).toEqual(['dashed', 'dashed']);

  // select just the rectangle and recolour it: the pair is now mixed
  await alice.page.keyboard.press('Escape');
  await clickAt(alice, { x: 300, y: 240 }); // on the rectangle's left edge
  await expect(panel).toHaveAttribute('data-count', '1');
  await alice.page.getByTestId('style-stroke-blue').click();
  await alice.page.keyboard.press(`${mod}+a`);
  await expect(alice.page.getByTestId('style-group-stroke')).toHaveAttribute('data-mixed', 'true');
  await expect(alice.page.getByTestId('style-group-fill')).toHaveAttribute('data-mixed', 'false');
});

test('the last used style is remembered (across reloads) and given to new shapes; text font size', async ({ openUsers }) => {
  const [alice] = await openUsers(1);
  await alice.page.getByTestId('style-stroke-green').click();
  await alice.page.getByTestId('style-fill-solid').click();
  await alice.page.getByTestId('style-font-size-40').click();
  await drawWith(alice, 'rectangle', { x: 300, y: 200 }, { x: 420, y: 280 });
  await expect.poll(async () => (await styled(alice))[0]?.style).toMatchObject({ stroke: '#2f9e44', fill: 'solid' });

  await alice.page.reload();
  await alice.whenSynced();
  await expect.poll(() => currentStyle(alice)).toMatchObject({ stroke: '#2f9e44', fill: 'solid', fontSize: 40 });
  await alice.selectTool('text');
  await clickAt(alice, { x: 600, y: 400 });
  await alice.page.keyboard.type('Big');
  await alice.page.keyboard.press('Escape');
  const text = (await styled(alice)).find((s) => s.type === 'text') as unknown as Styled & { h: number };
  expect(text.style).toMatchObject({ stroke: '#2f9e44', fontSize: 40 });
  expect(text.h).toBeGreaterThanOrEqual(40);
});

test('dark mode: toggle, persisted, default from the system; shortcuts dialog; zoom controls', async ({ openUsers, browser, board }, testInfo) => {
  test.slow(); // two contexts, two reloads
  const [alice] = await openUsers(1);
  await drawWith(alice, 'rectangle', { x: 300, y: 200 }, { x: 420, y: 280 });
  const html = alice.page.locator('html');
  await expect(html).not.toHaveClass(/dark/);
  await alice.page.getByTestId('theme-toggle').click();
  await expect(html).toHaveClass(/dark/);
  expect(await theme(alice)).toBe('dark');
  await alice.page.screenshot({ path: testInfo.outputPath('dark.png') });
  await alice.page.reload();
  await alice.whenSynced();
  await expect(html).toHaveClass(/dark/);

  // a new visitor whose system prefers dark gets dark without choosing
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto(board.editUrl.replace(/^https?:\/\/[^/]+/, ''));
  await expect(page.locator('html')).toHaveClass(/dark/);
  await context.close();

  await alice.canvas.click({ position: { x: 900, y: 600 } });
  await alice.page.keyboard.press('?');
  await expect(alice.page.getByTestId('shortcuts-dialog')).toBeVisible();
  await expect(alice.page.getByTestId('shortcuts-dialog')).toContainText('Rectangle');
  await alice.page.keyboard.press('Escape');
  await expect(alice.page.getByTestId('shortcuts-dialog')).toBeHidden();
  await alice.page.keyboard.press('r');
  await expect(alice.page.getByTestId('tool-rectangle')).toHaveAttribute('aria-pressed', 'true');

  const zoom = () => alice.page.evaluate(() => window.commonboard!.getCamera().zoom);
  await alice.page.getByTestId('zoom-in').click();
  await expect.poll(zoom).toBeCloseTo(1.25, 5);
  await expect(alice.page.getByTestId('zoom-reset')).toHaveText('125%');
  await alice.page.getByTestId('zoom-out').click();
  await alice.page.getByTestId('zoom-out').click();
  await expect.poll(zoom).toBeCloseTo(0.8, 5);
  await alice.page.getByTestId('zoom-reset').click();
  await expect.poll(zoom).toBeCloseTo(1, 5);
  await alice.page.getByTestId('zoom-fit').click();
  await expect(alice.page.getByTestId('zoom-reset')).toHaveText('100%'); // small content: fit caps at 100%
});
