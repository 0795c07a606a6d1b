import { dragTestId, drawWith, linePoints, selection } from './canvas-helpers';
import { expect, expectConverged, test } from './fixtures';

// Two browser contexts drawing through real input events: slow on a loaded 2-core machine.
test.slow();

test('a dragged shape snaps to another shape\'s edges with guides; ctrl turns snapping off', async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  await drawWith(alice, 'rectangle', { x: 300, y: 250 }, { x: 420, y: 350 });
  await drawWith(alice, 'rectangle', { x: 600, y: 450 }, { x: 680, y: 510 });
  await expectConverged([alice, bob], 2);
  const [, b] = await alice.shapes();
  expect(b).toMatchObject({ x: 600, y: 450, w: 80, h: 60 });

  // drop B 3 px right of and 3 px below A's top-right corner: its left edge snaps to A's right edge,
  // its top to A's top
  const canvas = (await alice.canvas.boundingBox())!;
  await alice.page.mouse.move(canvas.x + 640, canvas.y + 480);
  await alice.page.mouse.down();
  await alice.page.mouse.move(canvas.x + 463, canvas.y + 283, { steps: 8 });
  await expect(alice.page.getByTestId('snap-guide')).toHaveCount(2);
  await alice.page.mouse.up();
  await expect(alice.page.getByTestId('snap-guide')).toHaveCount(0);
  await expectConverged([alice, bob], 2);
  expect((await bob.shapes()).find((s) => s.id === b.id)).toMatchObject({ x: 420, y: 250 });

  // the same kind of near miss with ctrl held stays where it was dropped
  await alice.page.keyboard.down('Control');
  await alice.page.mouse.move(canvas.x + 460, canvas.y + 280);
  await alice.page.mouse.down();
  await alice.page.mouse.move(canvas.x + 465, canvas.y + 400, { steps: 8 });
  await expect(alice.page.getByTestId('snap-guide')).toHaveCount(0);
  await alice.page.mouse.up();
  await alice.page.keyboard.up('Control');
  await expectConverged([alice, bob], 2);
  expect((await bob.shapes()).find((s) => s.id === b.id)).toMatchObject({ x: 425, y: 370 });
});

test("dragging a line's middle bends it; an arrow keeps its binding and the peer sees every point", async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  await drawWith(alice, 'line', { x: 300, y: 250 }, { x: 500, y: 250 });
  const [line] = await alice.shapes();
  expect(await selection(alice)).toEqual([line.id]);
  await dragTestId(alice, 'handle-bend-0', { x: 400, y: 180 });
  // polled whole: the bend goes out once per frame, so Bob sees it move before it settles
  await expect.poll(() => linePoints(bob, line.id)).toEqual([
    { x: 300, y: 250 },
    { x: 400, y: 180 },
    { x: 500, y: 250 },
  ]);
  // the new point has its own handle
  await dragTestId(alice, 'handle-point-1', { x: 420, y: 320 });
  await expect.poll(async () => (await linePoints(bob, line.id))?.[1]).toEqual({ x: 420, y: 320 });

  await drawWith(alice, 'rectangle', { x: 300, y: 450 }, { x: 400, y: 530 });
  const rect = (await alice.shapes()).find((s) => s.type === 'rect')!;
  await drawWith(alice, 'arrow', { x: 350, y: 490 }, { x: 650, y: 490 });
  const arrow = (await alice.shapes()).find((s) => s.type === 'arrow')!;
  expect(arrow.start).toMatchObject({ shapeId: rect.id });
  await dragTestId(alice, 'handle-bend-0', { x: 500, y: 420 });
  await expect.poll(async () => (await linePoints(bob, arrow.id))?.slice(1)).toEqual([
    { x: 500, y: 420 },
    { x: 650, y: 490 },
  ]);
  const bent = (await bob.shapes()).find((s) => s.id === arrow.id)!;
  expect(bent.start).toMatchObject({ shapeId: rect.id });
  // Bob moves the rectangle: the bound start follows, the bend stays
  await bob.selectTool('select');
  await bob.drag({ x: 320, y: 520 }, { x: 320, y: 620 });
  await expect.poll(async () => (await linePoints(alice, arrow.id))?.[0].y).toBeCloseTo(590, 0);
  expect((await linePoints(alice, arrow.id))![1]).toEqual({ x: 500, y: 420 });
});

test('double-clicking a rotated note where it is drawn opens its editor', async ({ openUsers }) => {
  const [alice] = await openUsers(1);
  await drawWith(alice, 'note', { x: 300, y: 250 }, { x: 600, y: 330 });
  await expect(alice.page.getByTestId('note-editor')).toBeVisible(); // the note tool opens what it made
  await alice.page.keyboard.press('Escape');
  await expect(alice.page.getByTestId('note-editor')).toHaveCount(0);
  const [note] = await alice.shapes();
  await alice.canvas.click({ position: { x: 450, y: 290 } });
  expect(await selection(alice)).toEqual([note.id]);
  // a quarter turn: the rotate handle (above the top middle) dragged level with the centre, to its right
  await dragTestId(alice, 'handle-rotate', { x: 700, y: 290 });
  await expect.poll(async () => (await alice.shapes())[0].rotation).toBeCloseTo(Math.PI / 2, 1);
  // inside the turned note, outside its unturned box (y 250..330)
  await alice.canvas.dblclick({ position: { x: 450, y: 420 } });
  await expect(alice.page.getByTestId('note-editor')).toBeVisible();
});

test('the theme is on <html> before any app script runs (no light flash for dark users)', async ({ browser, board }) => {
  for (const [scheme, stored, dark] of [
    ['dark', null, true],
    ['light', 'dark', true],
    ['dark', 'light', false],
  ] as const) {
    const context = await browser.newContext({ colorScheme: scheme });
    if (stored) await context.addInitScript((value) => localStorage.setItem('commonboard:theme', value), stored);
    const page = await context.newPage();
    // no app JavaScript at all: only the inline pre-paint script can set the class
    await page.route('**/_next/static/**/*.js', (route) => route.abort());
    await page.goto(board.editUrl.replace(/^https?:\/\/[^/]+/, ''));
    const html = page.locator('html');
    if (dark) await expect(html).toHaveClass(/dark/);
    else await expect(html).not.toHaveClass(/dark/);
    await context.close();
  }
});
