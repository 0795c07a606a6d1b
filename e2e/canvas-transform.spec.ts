import { dragTestId, drawWith, selection } from './canvas-helpers';
import { expect, expectConverged, test } from './fixtures';

// Two browser contexts drawing through real input events: slow on a loaded 2-core machine.
test.slow();

test('resize, rotate, nudge, duplicate and lock a shape; the other user sees each step', async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  await drawWith(alice, 'rectangle', { x: 300, y: 250 }, { x: 400, y: 330 });
  const [start] = await alice.shapes();
  expect(await selection(alice)).toEqual([start.id]);

  await dragTestId(alice, 'handle-se', { x: 500, y: 380 });
  await expectConverged([alice, bob], 1);
  expect((await bob.shapes())[0]).toMatchObject({ x: start.x, y: start.y, w: 200, h: 130 });

  // shift keeps the aspect ratio
  await alice.page.keyboard.down('Shift');
  await dragTestId(alice, 'handle-se', { x: 700, y: 390 });
  await alice.page.keyboard.up('Shift');
  const locked = (await alice.shapes())[0];
  expect(locked.w / locked.h).toBeCloseTo(200 / 130, 2);

  await dragTestId(alice, 'handle-rotate', { x: 900, y: 400 });
  await expectConverged([alice, bob], 1);
  expect(Math.abs((await bob.shapes())[0].rotation)).toBeGreaterThan(0.3);

  const before = (await alice.shapes())[0];
  await alice.page.keyboard.press('ArrowRight');
  await alice.page.keyboard.press('ArrowRight');
  await alice.page.keyboard.press('Shift+ArrowDown');
  await expectConverged([alice, bob], 1);
  expect((await bob.shapes())[0]).toMatchObject({ x: before.x + 2, y: before.y + 10 });

  await alice.page.getByTestId('action-duplicate').click();
  await expectConverged([alice, bob], 2);
  const [original, copy] = await bob.shapes();
  expect(copy).toMatchObject({ x: original.x + 16, y: original.y + 16, w: original.w, rotation: original.rotation });
  expect(await selection(alice)).toEqual([copy.id]);
  await alice.page.keyboard.press('Control+d');
  await expectConverged([alice, bob], 3);

  // lock the copy: it no longer moves or deletes until unlocked
  await alice.page.getByTestId('action-lock').click();
  await expect.poll(async () => (await bob.shapes()).filter((s) => s.locked).length).toBe(1);
  const lockedShape = (await alice.shapes()).find((s) => s.locked)!;
  await alice.page.keyboard.press('ArrowLeft');
  await alice.page.keyboard.press('Delete');
  await expect(alice.page.getByTestId('handle-se')).toHaveCount(0);
  expect((await alice.shapes()).find((s) => s.id === lockedShape.id)).toMatchObject({ x: lockedShape.x });
  await alice.page.getByTestId('action-lock').click();
  await alice.page.getByTestId('action-delete').click();
  await expectConverged([alice, bob], 2);
});

test('hand tool, zoom keys, zoom to fit and grid toggle change only the local view', async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  await drawWith(alice, 'rectangle', { x: 300, y: 250 }, { x: 400, y: 330 });
  const camera = () => alice.page.evaluate(() => window.commonboard!.getCamera());
  await alice.selectTool('hand');
  await alice.drag({ x: 600, y: 400 }, { x: 500, y: 350 });
  expect(await camera()).toMatchObject({ x: -100, y: -50, zoom: 1 });
  await alice.page.keyboard.press('Control+=');
  expect((await camera()).zoom).toBeCloseTo(1.25);
  await alice.page.keyboard.press('Shift+1');
  const fit = await camera();
  expect(fit.zoom).toBe(1);
  // zoom to fit centres the content: the rectangle's centre is at the canvas centre
  const box = (await alice.canvas.boundingBox())!;
  expect((350 + fit.x) * fit.zoom).toBeCloseTo(box.width / 2, 0);
  await alice.canvas.click({ position: { x: 640, y: 560 } });
  await alice.page.mouse.wheel(0, 120);
  expect((await camera()).y).toBeCloseTo(fit.y - 120, 0);
  await alice.page.getByTestId('toggle-grid').click();
  await expect(alice.page.getByTestId('toggle-grid')).toHaveAttribute('aria-pressed', 'false');
  expect(await bob.page.evaluate(() => window.commonboard!.getCamera())).toMatchObject({ x: 0, y: 0, zoom: 1 });
});
