/**
 * Notes as others see them: a formatted static preview of a note nobody edits here, a marker (frame
 * and name tag in the typist's colour) on the note someone else is typing in, and auto-grow: the
 * note's stored height follows its content, for every user, and shrinks back when the text goes; then
 * a move and a resize carry the preview and keep the content.
 */
import { expect, test } from './fixtures';
import { dragTestId } from './canvas-helpers';
import { noteShape, notes, RICH_HTML, writeRichNote } from './notes-helpers';

test('previews, the typing marker, and a note that grows with its content for both users', async ({ openUsers }) => {
  test.slow(); // two contexts and many editor round trips on a loaded 2-core box
  const [alice, bob] = await openUsers(2);
  const aliceColor = (await alice.page.evaluate(() => window.commonboard!.getUser())).color;
  const id = await writeRichNote(alice, { x: 300, y: 150 }, { x: 520, y: 350 });
  const h0 = (await noteShape(bob, id)).h;

  // Bob, not editing, sees the formatting (rendered from the note's content, not plain canvas text)
  const preview = bob.page.locator(`[data-testid="note-preview"][data-note="${id}"]`);
  await expect(preview.locator('strong')).toHaveText('Plan');
  await expect(preview.locator('ul li')).toHaveText('item one');
  await expect(alice.page.locator(`[data-testid="note-preview"][data-note="${id}"]`)).toHaveCount(1);

  // Alice opens the note again: her own preview gives way to the editor, Bob sees who is typing
  await alice.canvas.dblclick({ position: { x: 410, y: 250 } });
  const editor = alice.page.getByTestId('note-editor');
  await expect(editor).toBeFocused();
  await expect(editor.locator('ul li')).toContainText('item one');
  await expect(alice.page.locator(`[data-testid="note-preview"][data-note="${id}"]`)).toHaveCount(0);
  const marker = bob.page.locator(`[data-testid="note-editing-marker"][data-user="Alice"][data-note="${id}"]`);
  await expect(marker).toHaveCount(1);
  await expect(marker).toContainText('Alice');
  await expect(marker.locator('rect').first()).toHaveAttribute('stroke', aliceColor);
  // the marker stands in for Alice's selection outline of that note
  await expect(bob.page.locator(`[data-testid="remote-selection"][data-user="Alice"][data-shape="${id}"]`)).toHaveCount(0);

  // twelve more lines: the note grows for both, and the open card shows it all without scrolling
  await alice.page.keyboard.press('Control+End');
  for (let i = 1; i <= 12; i++) {
    await alice.page.keyboard.press('Enter');
    await alice.page.keyboard.type(`line ${i}`);
  }
  await expect.poll(async () => (await notes(bob)).find((n) => n.id === id)?.text).toContain('line 12');
  await expect.poll(async () => (await noteShape(bob, id)).h).toBeGreaterThan(h0 + 150);
  await expect
    .poll(async () => {
      const [a, b] = await Promise.all([noteShape(alice, id), noteShape(bob, id)]);
      // the open card (fixed to the stored height) no longer needs to scroll
      const scrolls = await alice.page.locator('.note-card--open').evaluate((el) => el.scrollHeight > el.clientHeight + 1);
      return a.h === b.h && !scrolls;
    })
    .toBe(true);
  await expect(preview).toContainText('line 12');

  // the note's own undo takes the lines away again: the note shrinks back to its size
  for (let i = 0; i < 30 && (await notes(alice)).find((n) => n.id === id)?.text !== 'Plan\nitem one'; i++) {
    await alice.page.keyboard.press('Control+z');
  }
  await expect.poll(async () => (await notes(bob)).find((n) => n.id === id)?.text).toBe('Plan\nitem one');
  await expect.poll(async () => (await noteShape(bob, id)).h).toBe(h0);

  // closing the editor removes the marker
  await alice.page.keyboard.press('Escape');
  await expect(marker).toHaveCount(0);

  // moved and resized like any shape: Bob's preview follows, the content stays
  await alice.drag({ x: 320, y: 320 }, { x: 420, y: 360 });
  await expect.poll(async () => {
    const s = await noteShape(bob, id);
    return [s.x, s.y];
  }).toEqual([400, 190]);
  await expect.poll(async () => (await preview.boundingBox())?.x).toBeCloseTo((await bob.canvas.boundingBox())!.x + 400, 0);
  await dragTestId(alice, 'handle-se', { x: 720, y: 500 });
  await expect.poll(async () => (await noteShape(bob, id)).w).toBe(320);
  await expect(preview.locator('strong')).toHaveText('Plan');
  expect((await notes(bob)).find((n) => n.id === id)?.html).toMatch(RICH_HTML);

  // with the eraser in hand the canvas shows what it is about to remove: no previews over it
  await bob.selectTool('eraser');
  await expect(preview).toHaveCount(0);
  await bob.selectTool('select');
  await expect(preview).toHaveCount(1);
});
