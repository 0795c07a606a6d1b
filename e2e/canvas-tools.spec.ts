import { clickAt, drawWith, selection } from './canvas-helpers';
import { expect, expectConverged, test } from './fixtures';

// Two browser contexts drawing through real input events: slow on a loaded 2-core machine.
test.slow();

test('every tool creates its shape type, and the other user sees them all', async ({ openUsers }, testInfo) => {
  const [alice, bob] = await openUsers(2);
  await drawWith(alice, 'rectangle', { x: 250, y: 150 }, { x: 370, y: 230 });
  await drawWith(alice, 'ellipse', { x: 410, y: 150 }, { x: 530, y: 230 });
  await drawWith(alice, 'diamond', { x: 570, y: 150 }, { x: 690, y: 230 });
  await drawWith(alice, 'line', { x: 250, y: 300 }, { x: 370, y: 380 });
  await drawWith(alice, 'arrow', { x: 410, y: 300 }, { x: 530, y: 380 });
  await alice.selectTool('pen');
  const box = (await alice.canvas.boundingBox())!;
  await alice.page.mouse.move(box.x + 570, box.y + 320);
  await alice.page.mouse.down();
  for (let i = 1; i <= 24; i++) await alice.page.mouse.move(box.x + 570 + i * 5, box.y + 320 + Math.sin(i / 3) * 30);
  await alice.page.mouse.up();
  await expect.poll(() => alice.page.evaluate(() => (window.commonboard as unknown as { getTool(): string }).getTool())).toBe('pen');
  await alice.selectTool('text');
  await clickAt(alice, { x: 750, y: 170 });
  await expect(alice.page.getByTestId('text-editor')).toBeFocused();
  await alice.page.keyboard.type('Hello board');
  await alice.page.keyboard.press('Escape');
  await alice.selectTool('note');
  await clickAt(alice, { x: 870, y: 400 });
  // the eraser removes what it is dragged over
  await drawWith(alice, 'rectangle', { x: 1000, y: 150 }, { x: 1100, y: 230 });
  await drawWith(alice, 'eraser', { x: 980, y: 190 }, { x: 1120, y: 190 });

  await expectConverged([alice, bob], 8);
  const types = (await bob.shapes()).map((s) => s.type).sort();
  expect(types).toEqual(['arrow', 'diamond', 'ellipse', 'freehand', 'line', 'note', 'rect', 'text']);
  const text = (await bob.shapes()).find((s) => s.type === 'text')!;
  expect(text.text).toBe('Hello board');
  const pen = (await bob.shapes()).find((s) => s.type === 'freehand')!;
  expect((pen.points as unknown[]).length).toBeGreaterThan(10);
  await bob.page.screenshot({ path: testInfo.outputPath('every-shape-bob.png') });
});

test('keyboard tool shortcuts, marquee and shift-click selection', async ({ openUsers }) => {
  const [alice] = await openUsers(1);
  await alice.canvas.click({ position: { x: 640, y: 500 } });
  await alice.page.keyboard.press('o');
  await alice.drag({ x: 300, y: 150 }, { x: 400, y: 230 });
  await alice.page.keyboard.press('d');
  await alice.drag({ x: 500, y: 150 }, { x: 600, y: 230 });
  await alice.page.keyboard.press('r');
  await alice.drag({ x: 700, y: 150 }, { x: 800, y: 230 });
  expect((await alice.shapes()).map((s) => s.type)).toEqual(['ellipse', 'diamond', 'rect']);
  const ids = (await alice.shapes()).map((s) => s.id);
  // marquee around the first two
  await alice.drag({ x: 280, y: 130 }, { x: 620, y: 260 });
  expect((await selection(alice)).sort()).toEqual([ids[0], ids[1]].sort());
  await clickAt(alice, { x: 750, y: 190 }, ['Shift']);
  expect((await selection(alice)).sort()).toEqual([...ids].sort());
  await alice.page.keyboard.press('Escape');
  expect(await selection(alice)).toEqual([]);
  await alice.page.keyboard.press('Control+a');
  expect(await selection(alice)).toHaveLength(3);
});
