/**
 * Images on the board (issue 17), browser to server to another browser: the file picker, paste and
 * drop; resize (aspect kept, shift frees it), crop + undo, alt text; a viewer sees images but cannot
 * add any (UI and server); an offline paste shows at once and uploads on reconnect; export/import.
 */
import { dragTestId } from './canvas-helpers';
import { expect, expectConverged, test } from './fixtures';
import { BoardPage } from './fixtures/board-page';
import { E2E_SYNC_PORT } from './fixtures/ports';
import { dropFiles, expectImagesLoaded, expectUploaded, images, mintToken, pasteFiles, pngBase64 } from './images-helpers';

test.slow(); // several browser contexts decoding images on a shared 2-core machine

test('the Image button uploads picked files; a second user sees them', async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  await expect(alice.page.getByTestId('image-tool')).toBeVisible();
  const a = await pngBase64(alice, 300, 200, '#e03131');
  const b = await pngBase64(alice, 100, 100, '#2f9e44');
  await alice.page.getByTestId('image-file-input').setInputFiles([
    { name: 'red.png', mimeType: 'image/png', buffer: Buffer.from(a, 'base64') },
    { name: 'green.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(b, 'base64') }, // named wrong: the bytes decide
  ]);
  await expectConverged([alice, bob], 2);
  // the new images are selected: of the style panel only opacity applies to them
  await expect(alice.page.getByTestId('style-panel')).toHaveAttribute('data-count', '2');
  await expect(alice.page.getByTestId('style-group-opacity')).toBeVisible();
  await expect(alice.page.getByTestId('style-group-stroke')).toHaveCount(0);
  await expect(alice.page.getByTestId('style-group-font-size')).toHaveCount(0);
  const shapes = await bob.shapes();
  expect(shapes.map((s) => [s.type, s.w, s.h, s.mime, s.naturalWidth])).toEqual([
    ['image', 300, 200, 'image/png', 300],
    ['image', 100, 100, 'image/png', 100],
  ]);
  expect(shapes[1].x).toBe(shapes[0].x + 300 + 24); // side by side
  expect(shapes[0].fileId).toMatch(/^[0-9a-f]{64}$/);
  await expectUploaded(alice);
  expect((await images(alice)).map((i) => i.status)).toEqual(['done', 'done']);
  // bob has no local copy: his bitmaps come from the server
  await expectImagesLoaded(bob, 2);
  await expect(alice.page.getByTestId('unsynced-count')).toHaveAttribute('data-count', '0');
});

test('paste and drop several files; another user sees them where they were dropped', async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  const png = await pngBase64(alice, 120, 80, '#1971c2');
  await alice.canvas.click({ position: { x: 900, y: 600 } });
  await pasteFiles(alice, [png]);
  await expectConverged([alice, bob], 1);
  const two = [await pngBase64(alice, 50, 50, '#f08c00'), await pngBase64(alice, 60, 40, '#9c36b5')];
  await dropFiles(alice, two, { x: 700, y: 400 });
  await expectConverged([alice, bob], 3);
  const dropped = (await bob.shapes()).slice(1);
  // centred on the drop point, side by side (camera at 100%, no pan: board units = canvas pixels)
  const left = dropped[0].x;
  const right = dropped[1].x + dropped[1].w;
  expect((left + right) / 2).toBeCloseTo(700, 0);
  expect(dropped[0].y + dropped[0].h / 2).toBeCloseTo(400, 0);
  await expectUploaded(alice);
  await expectImagesLoaded(bob, 3);
  // the same bytes pasted again: a second shape, one file
  await pasteFiles(alice, [png]);
  await expectConverged([alice, bob], 4);
  const ids = (await bob.shapes()).map((s) => s.fileId);
  expect(new Set(ids).size).toBe(3);
});

test('resize keeps the aspect ratio (shift frees it); crop, undo and alt text reach the other user', async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  await alice.canvas.click({ position: { x: 900, y: 600 } });
  await pasteFiles(alice, [await pngBase64(alice, 200, 100, '#e03131')]);
  await expectConverged([alice, bob], 1);
  const start = (await alice.shapes())[0];
  expect(start).toMatchObject({ w: 200, h: 100 });

  await dragTestId(alice, 'handle-se', { x: start.x + 300, y: start.y + 110 });
  await expectConverged([alice, bob], 1);
  const kept = (await bob.shapes())[0];
  expect(kept.w).toBeGreaterThan(250);
  expect(kept.w / kept.h).toBeCloseTo(2, 2);

  await alice.page.keyboard.down('Shift');
  await dragTestId(alice, 'handle-e', { x: kept.x + kept.w - 100, y: kept.y + kept.h / 2 });
  await alice.page.keyboard.up('Shift');
  await expectConverged([alice, bob], 1);
  const free = (await bob.shapes())[0];
  expect(free.h).toBeCloseTo(kept.h, 3);
  expect(free.w).toBeCloseTo(kept.w - 100, 0);

  // crop: cut the left half; the shape keeps its scale, so it gets half as wide
  await alice.page.getByTestId('image-crop').click();
  await alice.page.getByTestId('image-crop-left').fill('50');
  await alice.page.getByTestId('image-crop-apply').click();
  await expect.poll(async () => (await bob.shapes())[0].crop).toEqual({ x: 100, y: 0, w: 100, h: 100 });
  const cropped = (await bob.shapes())[0];
  expect(cropped.w).toBeCloseTo(free.w / 2, 1);
  expect(cropped.x).toBeCloseTo(free.x + free.w / 2, 1);

  await alice.canvas.click({ position: { x: 900, y: 650 } }); // blur the crop input: keys go to the board
  await alice.page.keyboard.press('Control+z');
  await expect.poll(async () => (await bob.shapes())[0].crop).toBeNull();
  expect((await bob.shapes())[0]).toMatchObject({ w: free.w, x: free.x });

  await alice.canvas.click({ position: { x: free.x + 10, y: free.y + 10 } });
  await alice.page.getByTestId('image-alt').fill('A red banner');
  await alice.page.getByTestId('image-alt').press('Enter');
  await expect.poll(async () => (await bob.shapes())[0].alt).toBe('A red banner');

  // rotate and lock: the shapes' own machinery
  await dragTestId(alice, 'handle-rotate', { x: free.x + free.w + 200, y: free.y + free.h / 2 });
  await expect.poll(async () => Math.abs((await bob.shapes())[0].rotation)).toBeGreaterThan(0.3);
  await alice.page.getByTestId('action-lock').click();
  await expect.poll(async () => (await bob.shapes())[0].locked).toBe(true);
  await expect(alice.page.getByTestId('image-alt')).toHaveCount(0); // locked: no editing
});

test('refusals are said in words: a file that is not an image, a decompression bomb; an SVG is accepted', async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  await alice.canvas.click({ position: { x: 900, y: 600 } });
  const text = Buffer.from('<html><script>alert(1)</script></html>').toString('base64');
  await pasteFiles(alice, [text]); // named .png, typed image/png: the bytes decide
  await expect(alice.page.getByTestId('toast').first()).toContainText('Only PNG, JPEG, GIF, WebP and SVG images can be added.');
  // a PNG header declaring 50,000 x 50,000 pixels
  const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  const bomb = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, ...Buffer.from('IHDR'), ...be32(50_000), ...be32(50_000), 8, 6, 0, 0, 0]).toString('base64');
  await pasteFiles(alice, [bomb]);
  await expect(alice.page.getByTestId('toast').last()).toContainText('The image has too many pixels to open safely.');
  expect(await alice.shapes()).toHaveLength(0);

  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><rect width="120" height="60" fill="#1971c2"/></svg>').toString('base64');
  await pasteFiles(alice, [svg]);
  await expectConverged([alice, bob], 1);
  expect((await bob.shapes())[0]).toMatchObject({ mime: 'image/svg+xml', naturalWidth: 120, naturalHeight: 60 });
  await expectImagesLoaded(alice, 1);
  await expectUploaded(alice);
  await expectImagesLoaded(bob, 1); // the server's rasterization
});

test('a viewer sees images but has no Image button; paste is refused in words; the server refuses a viewer PUT', async ({ openUsers, openViewers, boardId, request }) => {
  const [alice] = await openUsers(1);
  const [victor] = await openViewers(1);
  await alice.canvas.click({ position: { x: 900, y: 600 } });
  await pasteFiles(alice, [await pngBase64(alice, 80, 60, '#2f9e44')]);
  await expectUploaded(alice);
  await expectImagesLoaded(victor, 1);
  await expect(victor.page.getByTestId('image-tool')).toHaveCount(0);
  await expect(victor.page.getByTestId('image-file-input')).toHaveCount(0);

  await pasteFiles(victor, [await pngBase64(victor, 10, 10, '#000')]);
  await expect(victor.page.getByTestId('toast')).toContainText('You can view this board but not add files to it.');
  await dropFiles(victor, [await pngBase64(victor, 10, 10, '#111')], { x: 500, y: 300 });
  await expect.poll(async () => (await victor.shapes()).length).toBe(1);
  expect((await alice.shapes()).length).toBe(1);

  const bytes = Buffer.from(await pngBase64(alice, 12, 12, '#abcdef'), 'base64');
  const { createHash } = await import('node:crypto');
  const fileId = createHash('sha256').update(bytes).digest('hex');
  const url = `http://127.0.0.1:${E2E_SYNC_PORT}/files/${encodeURIComponent(boardId)}/${fileId}`;
  const viewer = await request.put(url, { headers: { Authorization: `Bearer ${await mintToken(boardId, 'viewer')}`, 'Content-Type': 'image/png' }, data: bytes });
  expect(viewer.status()).toBe(403);
  expect(await viewer.json()).toMatchObject({ error: 'forbidden' });
  const editor = await request.put(url, { headers: { Authorization: `Bearer ${await mintToken(boardId, 'editor')}`, 'Content-Type': 'image/png' }, data: bytes });
  expect(editor.status()).toBe(201);
});

test('an image pasted offline shows at once, counts as unsaved, and reaches the other user after reconnecting', async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  const png = await pngBase64(alice, 160, 90, '#f08c00');
  await alice.canvas.click({ position: { x: 900, y: 600 } });
  await alice.page.context().setOffline(true);
  await alice.expectStatus('disconnected');
  await pasteFiles(alice, [png]);
  const [local] = await expectImagesLoaded(alice, 1); // from the local copy, no server
  expect(local.status).toBe('uploading');
  await expect.poll(async () => Number(await alice.page.getByTestId('unsynced-count').getAttribute('data-count'))).toBeGreaterThan(0);
  expect((await bob.shapes()).length).toBe(0);

  await alice.page.context().setOffline(false);
  await expectConverged([alice, bob], 1);
  await expectUploaded(alice);
  await expectImagesLoaded(bob, 1);
  await expect(alice.page.getByTestId('unsynced-count')).toHaveAttribute('data-count', '0', { timeout: 15_000 });
});

test('export JSON embeds the image bytes; importing on another board restores and uploads them; SVG embeds data URLs', async ({ openUsers, createBoard, browser }) => {
  const [alice] = await openUsers(1);
  await alice.canvas.click({ position: { x: 900, y: 600 } });
  await pasteFiles(alice, [await pngBase64(alice, 64, 48, '#1971c2')]);
  await expectUploaded(alice);
  const [shape] = await alice.shapes();
  const json = await alice.page.evaluate(() => window.commonboard!.images.exportJSON());
  const file = JSON.parse(json) as { version: number; shapes: { fileId?: string }[]; files: Record<string, { type: string; data: string }> };
  expect(file.version).toBe(3);
  expect(file.shapes[0].fileId).toBe(shape.fileId);
  expect(file.files[shape.fileId as string]).toMatchObject({ type: 'image/png' });
  const svg = await alice.page.evaluate(() => window.commonboard!.images.exportSVG());
  expect(svg).toContain('href="data:image/png;base64,');

  // a file whose bytes do not hash to its id is refused, nothing is added
  const forged = JSON.stringify({ ...file, files: { ['0'.repeat(64)]: file.files[shape.fileId as string] }, shapes: file.shapes.map((s) => ({ ...s, fileId: '0'.repeat(64) })) });
  const other = await createBoard();
  // other browser contexts: no IndexedDB copy of the file; the import carries it
  const carol = new BoardPage(await (await browser.newContext()).newPage(), 'Carol');
  const dave = new BoardPage(await (await browser.newContext()).newPage(), 'Dave');
  await carol.open(other.editUrl);
  await dave.open(other.editUrl);
  const refused = await carol.page.evaluate((text) => window.commonboard!.images.importJSON(text), forged);
  expect(refused.ok).toBe(false);
  expect((await carol.shapes()).length).toBe(0);

  const imported = await carol.page.evaluate((text) => window.commonboard!.images.importJSON(text), json);
  expect(imported.ok).toBe(true);
  await expectConverged([carol, dave], 1);
  expect((await dave.shapes())[0]).toMatchObject({ type: 'image', fileId: shape.fileId, w: 64, h: 48 });
  await expectUploaded(carol);
  await expectImagesLoaded(dave, 1); // from the other board's server storage
  await carol.page.context().close();
  await dave.page.context().close();
});

test('a refused upload says so on the shape; retry uploads it', async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  // the server refuses this page's uploads (413) until the route is removed
  const refuse = (route: import('@playwright/test').Route) =>
    route.request().method() === 'PUT' ? route.fulfill({ status: 413, contentType: 'application/json', body: '{"error":"too-large","message":"no"}' }) : route.continue();
  await alice.page.route('**/files/**', refuse);
  await alice.canvas.click({ position: { x: 900, y: 600 } });
  await pasteFiles(alice, [await pngBase64(alice, 90, 90, '#e03131')]);
  await expect.poll(async () => (await images(alice))[0]?.error ?? null).toBe('too-large');
  await expect(alice.page.getByTestId('toast').first()).toContainText('The file is larger than 25 MB.');
  await expect(alice.page.getByTestId('image-retry')).toBeVisible();
  await expect(alice.page.getByTestId('unsynced-count')).toHaveAttribute('data-count', '0', { timeout: 15_000 });

  await alice.page.unroute('**/files/**', refuse);
  await alice.page.getByTestId('image-retry').click();
  await expectUploaded(alice);
  await expect(alice.page.getByTestId('image-retry')).toHaveCount(0);
  await expectImagesLoaded(bob, 1);
});

test('copy on one board and paste on another in the same browser carries the bytes', async ({ openUsers, createBoard, browser }) => {
  const [alice] = await openUsers(1);
  await alice.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await alice.canvas.click({ position: { x: 900, y: 600 } });
  await pasteFiles(alice, [await pngBase64(alice, 70, 50, '#2f9e44')]);
  await expectUploaded(alice);
  await alice.page.keyboard.press('Control+c'); // the pasted image is selected
  await expect.poll(() => alice.page.evaluate(() => navigator.clipboard.readText())).toContain('"fileId"');

  const other = await createBoard();
  const second = new BoardPage(await alice.page.context().newPage(), 'Alice');
  await second.open(other.editUrl);
  const dave = new BoardPage(await (await browser.newContext()).newPage(), 'Dave');
  await dave.open(other.editUrl);
  await second.canvas.click({ position: { x: 900, y: 600 } });
  await second.page.keyboard.press('Control+v');
  await expectConverged([second, dave], 1);
  expect((await dave.shapes())[0]).toMatchObject({ type: 'image', fileId: (await alice.shapes())[0].fileId });
  await expectUploaded(second);
  await expectImagesLoaded(dave, 1); // served by the other board: the paste uploaded it there
  await dave.page.context().close();
});

test('PNG export draws the image', async ({ openUsers }, testInfo) => {
  const [alice] = await openUsers(1);
  await alice.canvas.click({ position: { x: 900, y: 600 } });
  await pasteFiles(alice, [await pngBase64(alice, 100, 100, '#e03131')]);
  await expectImagesLoaded(alice, 1);
  await alice.canvas.click({ position: { x: 900, y: 650 } }); // nothing selected: the whole board
  const [download] = await Promise.all([alice.page.waitForEvent('download'), alice.page.getByTestId('export-png').click()]);
  const file = testInfo.outputPath('board.png');
  await download.saveAs(file);
  const { readFileSync } = await import('node:fs');
  const b64 = readFileSync(file).toString('base64');
  // the centre of the export is the centre of the image: red, not the placeholder's grey
  const pixel = await alice.page.evaluate(async (data) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const c = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    return [...ctx.getImageData(Math.floor(bitmap.width * 0.75), Math.floor(bitmap.height * 0.75), 1, 1).data];
  }, b64);
  expect(pixel.slice(0, 3)).toEqual([224, 49, 49]);
});

test('an image pasted offline survives a reload offline (local copy) and uploads once back online', async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  // the offline shell (service worker) has cached the page, so it can load with no network
  await expect.poll(() => alice.page.evaluate(() => window.commonboard!.getSync().offlineReady), { timeout: 20_000 }).toBe(true);
  await alice.canvas.click({ position: { x: 900, y: 600 } });
  await alice.page.context().setOffline(true);
  await alice.expectStatus('disconnected');
  await pasteFiles(alice, [await pngBase64(alice, 110, 70, '#9c36b5')]);
  await expectImagesLoaded(alice, 1);

  alice.page.on('dialog', (dialog) => void dialog.accept()); // beforeunload: unsaved changes
  await alice.page.reload();
  await alice.page.waitForFunction(() => typeof window.commonboard?.images?.list === 'function');
  const [again] = await expectImagesLoaded(alice, 1); // from IndexedDB, no server
  expect(again.status).toBe('uploading'); // the pending upload resumed
  expect(await alice.page.evaluate(() => window.commonboard!.images.pendingUploads())).toBe(1);
  expect((await bob.shapes()).length).toBe(0);

  await alice.page.context().setOffline(false);
  await expectConverged([alice, bob], 1);
  await expectUploaded(alice);
  await expectImagesLoaded(bob, 1);
  await expect(alice.page.getByTestId('unsynced-count')).toHaveAttribute('data-count', '0', { timeout: 20_000 });
});
