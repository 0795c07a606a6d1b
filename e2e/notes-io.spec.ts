/**
 * Notes take part in everything shapes do, rich content included: copy in one tab and paste into
 * another board in another browser context (system clipboard), duplicate, delete and undo, and
 * export (the JSON file round-trips the formatting, a hostile file loses everything executable; SVG and
 * PNG carry the note's text).
 */
import { readFileSync } from 'node:fs';
import { clickAt, selection } from './canvas-helpers';
import { exportSVG, mod } from './canvas-io-helpers';
import { expect, test } from './fixtures';
import { notes, openOn, RICH_HTML, writeRichNote } from './notes-helpers';

test('copy and paste across tabs, duplicate, delete and undo keep a note\'s rich content', async ({ openUsers, createBoard, browser }) => {
  test.slow(); // two contexts, editor round trips and the clipboard on a loaded 2-core box
  const other = await createBoard();
  const [alice] = await openUsers(1);
  const bob = await openOn(browser, other.editUrl, 'Bob');
  for (const u of [alice, bob]) await u.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);

  const id = await writeRichNote(alice, { x: 300, y: 150 }, { x: 520, y: 350 });
  await clickAt(alice, { x: 410, y: 330 }); // select the note (a single click does not open it)
  await expect.poll(() => selection(alice)).toEqual([id]);
  await alice.page.keyboard.press(`${mod}+c`);

  await bob.canvas.click({ position: { x: 900, y: 600 } });
  await bob.page.keyboard.press(`${mod}+v`);
  await expect.poll(async () => (await notes(bob)).map((n) => n.html)).toEqual([expect.stringMatching(RICH_HTML)]);
  const [pasted] = await notes(bob);
  expect(pasted.id).not.toBe(id);
  expect(pasted.text).toBe('Plan\nitem one');

  // duplicate: a second note with the same content, selected
  await alice.page.keyboard.press(`${mod}+d`);
  await expect.poll(async () => (await notes(alice)).length).toBe(2);
  const copy = (await notes(alice)).find((n) => n.id !== id)!;
  expect(copy.html).toMatch(RICH_HTML);
  await expect.poll(() => selection(alice)).toEqual([copy.id]);

  // delete the original (clicked where the offset duplicate does not cover it), then undo: it comes back with its content
  await clickAt(alice, { x: 306, y: 156 });
  await expect.poll(() => selection(alice)).toEqual([id]);
  await alice.page.keyboard.press('Delete');
  await expect.poll(async () => (await notes(alice)).map((n) => n.id)).toEqual([copy.id]);
  await alice.page.keyboard.press(`${mod}+z`);
  await expect.poll(async () => (await notes(alice)).find((n) => n.id === id)?.html).toMatch(RICH_HTML);
  await bob.page.context().close();
});

test('export: JSON round trip keeps the formatting; SVG and PNG carry the note text', async ({ openUsers, createBoard, browser }, testInfo) => {
  test.slow();
  const other = await createBoard();
  const [alice] = await openUsers(1);
  const bob = await openOn(browser, other.editUrl, 'Bob');
  const id = await writeRichNote(alice, { x: 300, y: 150 }, { x: 520, y: 350 });

  const [download] = await Promise.all([alice.page.waitForEvent('download'), alice.page.getByTestId('export-json').click()]);
  const file = testInfo.outputPath('notes.json');
  await download.saveAs(file);
  const json = JSON.parse(readFileSync(file, 'utf8')) as { shapes: { id: string; type: string; content?: unknown }[] };
  const exported = json.shapes.find((s) => s.id === id);
  expect(JSON.stringify(exported?.content)).toContain('"bold"');
  await bob.page.getByTestId('import-json').setInputFiles(file);
  await expect(bob.page.getByTestId('import-result')).toContainText('Imported 1 shape');
  await expect.poll(async () => (await notes(bob)).map((n) => n.html)).toEqual([expect.stringMatching(RICH_HTML)]);

  // a hostile file: unknown nodes, event-handler attributes and a javascript: link are dropped on import
  const dialogs: string[] = [];
  bob.page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const evil = {
    ...json,
    shapes: [
      {
        ...exported,
        content: [
          { type: 'script', content: [{ type: 'text', text: 'window.__pwned = "script"' }] },
          {
            type: 'paragraph',
            attrs: { onclick: 'window.__pwned = "attr"' },
            content: [
              { type: 'text', text: 'click me', marks: [{ type: 'link', attrs: { href: 'javascript:window.__pwned="link"' } }] },
              { type: 'text', text: ' <img src=x onerror="window.__pwned=1">' },
            ],
          },
          { type: 'image', attrs: { src: 'x', onerror: 'window.__pwned = "img"' } },
        ],
      },
    ],
  };
  await bob.page.getByTestId('import-json').setInputFiles({ name: 'evil.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(evil)) });
  await expect.poll(async () => (await notes(bob)).length).toBe(2);
  const hostile = (await notes(bob)).find((n) => !RICH_HTML.test(n.html))!;
  // (the texts survive, escaped: "&lt;img" is text, not a tag)
  expect(hostile.html).not.toMatch(/<script|<img|href="javascript|<[^>]*\son\w+=/i);
  expect(hostile.text).toContain('click me <img src=x onerror=');
  // its preview and its editor hold nothing executable either
  const shape = (await bob.shapes()).find((s) => s.id === hostile.id)!;
  const previewEl = bob.page.locator(`[data-testid="note-preview"][data-note="${hostile.id}"]`);
  await expect(previewEl).toContainText('click me');
  expect(await previewEl.locator('script, img, [onclick], a[href^="javascript" i]').count()).toBe(0);
  const cam = await bob.page.evaluate(() => window.commonboard!.getCamera());
  await bob.canvas.dblclick({ position: { x: (shape.x + 30 + cam.x) * cam.zoom, y: (shape.y + shape.h - 20 + cam.y) * cam.zoom } });
  const bobEditor = bob.page.getByTestId('note-editor');
  await expect(bobEditor).toContainText('click me');
  await bobEditor.getByText('click me').click();
  expect(await bobEditor.locator('script, img, [onclick], a[href^="javascript" i]').count()).toBe(0);
  expect(await bob.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);

  // SVG: the note's text is in the file
  await clickAt(alice, { x: 410, y: 330 });
  const svg = await exportSVG(alice);
  expect(svg).toContain('Plan');
  expect(svg).toContain('item one');

  // PNG: dark text pixels on the note, against a control note without text
  const darkPixels = async (): Promise<number> => {
    const [png] = await Promise.all([alice.page.waitForEvent('download'), alice.page.getByTestId('export-png').click()]);
    const data = `data:image/png;base64,${readFileSync(await png.path()).toString('base64')}`;
    return alice.page.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      let dark = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 200 && px[i] + px[i + 1] + px[i + 2] < 300) dark++;
      return dark;
    }, data);
  };
  const withText = await darkPixels();
  await alice.selectTool('note');
  await alice.drag({ x: 600, y: 150 }, { x: 820, y: 350 });
  await expect(alice.page.getByTestId('note-editor')).toBeFocused();
  await alice.page.keyboard.press('Escape');
  await clickAt(alice, { x: 710, y: 330 });
  await expect.poll(async () => (await selection(alice)).length).toBe(1);
  const empty = await darkPixels();
  expect(empty).toBeLessThan(20);
  expect(withText).toBeGreaterThan(empty + 100);
  await bob.page.context().close();
});
