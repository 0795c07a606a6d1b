import { readFileSync } from 'node:fs';
import { clickAt, drawWith } from './canvas-helpers';
import { exportJSON, exportSVG, importJSON, mod, selectionCount } from './canvas-io-helpers';
import { expect, expectConverged, test } from './fixtures';
import { BoardPage } from './fixtures/board-page';
import type { Browser } from '@playwright/test';

/** A user in a fresh browser context on a board the fixtures do not track (closed by the caller). */
async function openOn(browser: Browser, editUrl: string, name: string): Promise<BoardPage> {
  const user = new BoardPage(await (await browser.newContext()).newPage(), name);
  await user.open(editUrl);
  return user;
}

async function drawScene(user: BoardPage): Promise<void> {
  await drawWith(user, 'rectangle', { x: 300, y: 200 }, { x: 420, y: 280 });
  await drawWith(user, 'ellipse', { x: 600, y: 200 }, { x: 720, y: 280 });
  await drawWith(user, 'arrow', { x: 360, y: 240 }, { x: 660, y: 240 }); // bound at both ends
  await user.selectTool('note');
  await clickAt(user, { x: 500, y: 450 });
  await user.page.keyboard.press('Escape');
  await expect.poll(async () => (await user.shapes()).length).toBe(4);
}

async function grantClipboard(users: BoardPage[]): Promise<void> {
  for (const u of users) await u.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
}

test('copy on one board, paste on another board in another browser context (system clipboard)', async ({ openUsers, createBoard, browser }) => {
  test.slow(); // three browser contexts on a shared 2-core machine
  const other = await createBoard();
  const [alice] = await openUsers(1);
  const bob = await openOn(browser, other.editUrl, 'Bob');
  const carol = await openOn(browser, other.editUrl, 'Carol');
  await grantClipboard([alice, bob]);
  await drawScene(alice);
  await alice.canvas.click({ position: { x: 900, y: 600 } }); // focus the board, nothing selected
  await alice.page.keyboard.press(`${mod}+a`);
  await alice.page.keyboard.press(`${mod}+c`);
  // the copy event hands the payload to the system clipboard asynchronously: paste only once it is there
  await expect.poll(() => alice.page.evaluate(() => navigator.clipboard.readText())).toContain('"commonboard"');

  await bob.canvas.click({ position: { x: 900, y: 600 } });
  await bob.page.keyboard.press(`${mod}+v`);
  await expectConverged([bob, carol], 4);
  const src = await alice.shapes();
  const copy = await carol.shapes();
  expect(copy.map((s) => s.type)).toEqual(src.map((s) => s.type));
  const srcIds = new Set(src.map((s) => s.id));
  expect(copy.some((s) => srcIds.has(s.id))).toBe(false);
  const arrow = copy.find((s) => s.type === 'arrow') as unknown as { start: { shapeId: string } | null; end: { shapeId: string } | null };
  const rect = copy.find((s) => s.type === 'rect')!;
  const ellipse = copy.find((s) => s.type === 'ellipse')!;
  expect(arrow.start?.shapeId).toBe(rect.id);
  expect(arrow.end?.shapeId).toBe(ellipse.id);
  // relative layout kept
  expect(ellipse.x - rect.x).toBeCloseTo(src.find((s) => s.type === 'ellipse')!.x - src.find((s) => s.type === 'rect')!.x, 5);
  // the pasted shapes are selected on Bob's page
  await expect.poll(() => selectionCount(bob)).toBe(4);
  await Promise.all([bob, carol].map((u) => u.page.context().close()));
});

test('paste within a board offsets the copy; cut removes; plain text pastes as a text shape', async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  await grantClipboard([alice]);
  await drawWith(alice, 'rectangle', { x: 300, y: 200 }, { x: 420, y: 280 });
  await alice.page.keyboard.press(`${mod}+c`); // the new rectangle is selected
  await alice.page.keyboard.press(`${mod}+v`);
  await expectConverged([alice, bob], 2);
  const [a, b] = await bob.shapes();
  expect([b.x - a.x, b.y - a.y]).toEqual([16, 16]);

  await alice.page.keyboard.press(`${mod}+x`);
  await expectConverged([alice, bob], 1);

  await alice.page.evaluate(() => navigator.clipboard.writeText('Hello from another app'));
  await alice.canvas.click({ position: { x: 900, y: 600 } });
  await alice.page.keyboard.press(`${mod}+v`);
  await expectConverged([alice, bob], 2);
  const text = (await bob.shapes()).find((s) => s.type === 'text');
  expect(text?.text).toBe('Hello from another app');
});

test('export JSON and import it on another board; an invalid file shows per-field errors', async ({ openUsers, createBoard, browser }, testInfo) => {
  test.slow(); // two contexts, a download and two imports
  const other = await createBoard();
  const [alice] = await openUsers(1);
  const bob = await openOn(browser, other.editUrl, 'Bob');
  await drawScene(alice);

  const [download] = await Promise.all([alice.page.waitForEvent('download'), alice.page.getByTestId('export-json').click()]);
  expect(download.suggestedFilename()).toMatch(/^commonboard-.*\.json$/);
  const file = testInfo.outputPath('board.json');
  await download.saveAs(file);
  const json = JSON.parse(readFileSync(file, 'utf8'));
  expect(json).toMatchObject({ format: 'commonboard', version: 3 });
  expect(json.shapes).toHaveLength(4);

  await bob.page.getByTestId('import-json').setInputFiles(file);
  await expect(bob.page.getByTestId('import-result')).toContainText('Imported 4 shapes');
  await expect.poll(async () => (await bob.shapes()).map((s) => s.type)).toEqual(json.shapes.map((s: { type: string }) => s.type));

  const bad = { ...json, shapes: [{ ...json.shapes[0], style: { ...json.shapes[0].style, stroke: 'red' } }] };
  await bob.page.getByTestId('import-json').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  await expect(bob.page.getByTestId('import-errors')).toContainText('shapes[0].style.stroke: expected a hex colour like #1e293b');
  expect(await bob.shapes()).toHaveLength(4);

  // the test API does the same
  const result = await importJSON(bob, JSON.stringify(json));
  expect(result.ok).toBe(true);
  await expect.poll(async () => (await bob.shapes()).length).toBe(8);
  expect(JSON.parse(await exportJSON(bob)).shapes).toHaveLength(8);
  await bob.page.context().close();
});

test('export SVG and PNG of the selection or the board', async ({ openUsers }, testInfo) => {
  const [alice] = await openUsers(1);
  await drawScene(alice);
  await alice.canvas.click({ position: { x: 900, y: 600 } }); // deselect: the whole board
  const [svgDownload] = await Promise.all([alice.page.waitForEvent('download'), alice.page.getByTestId('export-svg').click()]);
  const svg = readFileSync(await svgDownload.path(), 'utf8');
  expect(svg).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
  expect(svg.match(/data-shape-type=/g)).toHaveLength(4);

  await clickAt(alice, { x: 310, y: 210 }); // select the rectangle only
  expect((await exportSVG(alice)).match(/data-shape-type=/g)).toHaveLength(1);

  const [pngDownload] = await Promise.all([alice.page.waitForEvent('download'), alice.page.getByTestId('export-png').click()]);
  const png = readFileSync(await pngDownload.path());
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  // drawn at 2x: the 120x80 rectangle plus margins is well over 240 px wide
  expect(png.readUInt32BE(16)).toBeGreaterThan(240);
  await alice.page.screenshot({ path: testInfo.outputPath('io-board.png') });
});
