import { clickAt, drawWith, linePoints, selection } from './canvas-helpers';
import { expect, expectConverged, test } from './fixtures';

test('an arrow bound from A to B follows B when the other user moves B', async ({ openUsers }, testInfo) => {
  const [alice, bob] = await openUsers(2);
  await drawWith(alice, 'rectangle', { x: 100, y: 200 }, { x: 250, y: 300 });
  await drawWith(alice, 'ellipse', { x: 500, y: 200 }, { x: 650, y: 300 });
  const [a, b] = await alice.shapes();
  await drawWith(alice, 'arrow', { x: 175, y: 250 }, { x: 575, y: 250 });
  await expectConverged([alice, bob], 3);
  const arrow = (await bob.shapes()).find((s) => s.type === 'arrow')!;
  expect(arrow.start).toMatchObject({ shapeId: a.id });
  expect(arrow.end).toMatchObject({ shapeId: b.id });

  // Bob drags B down by 200 (grabbing it away from the arrow line)
  await bob.selectTool('select');
  await bob.drag({ x: 600, y: 285 }, { x: 600, y: 485 });
  await expectConverged([alice, bob], 3);
  const moved = (await alice.shapes()).find((s) => s.id === b.id)!;
  expect(moved.y).toBeCloseTo(400, 0);
  for (const user of [alice, bob]) {
    await expect.poll(async () => (await linePoints(user, arrow.id))?.[1].y).toBeCloseTo(450, 0);
    expect((await linePoints(user, arrow.id))![1].x).toBeCloseTo(575, 0);
    expect((await linePoints(user, arrow.id))![0]).toEqual({ x: 175, y: 250 });
  }
  // the arrow itself was never rewritten by the move: the binding is the only fact
  expect((await alice.shapes()).find((s) => s.id === arrow.id)).toEqual(arrow);
  await alice.page.screenshot({ path: testInfo.outputPath('arrow-follows.png') });

  // Deleting B leaves the arrow unbound where it was drawn
  await clickAt(bob, { x: 600, y: 470 });
  await bob.page.keyboard.press('Delete');
  await expectConverged([alice, bob], 2);
  const unbound = (await alice.shapes()).find((s) => s.id === arrow.id)!;
  expect(unbound.end).toBeNull();
  expect((await linePoints(alice, arrow.id))![1].y).toBeCloseTo(450, 0);
});

test("undo in one tab reverts only that user's change, even on the same shape", async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  await drawWith(alice, 'rectangle', { x: 200, y: 200 }, { x: 300, y: 300 });
  await drawWith(bob, 'ellipse', { x: 500, y: 200 }, { x: 600, y: 300 });
  await expectConverged([alice, bob], 2);
  const rect = (await alice.shapes()).find((s) => s.type === 'rect')!;

  // Alice resizes her rectangle from the corner handle (w/h only)…
  await clickAt(alice, { x: 250, y: 250 });
  const handle = (await alice.page.getByTestId('handle-se').boundingBox())!;
  await alice.page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await alice.page.mouse.down();
  await alice.page.mouse.move(handle.x + 100, handle.y + 60, { steps: 6 });
  await alice.page.mouse.up();
  await expect.poll(async () => (await bob.shapes()).find((s) => s.id === rect.id)?.w).toBeCloseTo(200, -1);
  // …while Bob moves the same rectangle (x/y) with the keyboard
  await clickAt(bob, { x: 250, y: 250 });
  for (let i = 0; i < 3; i++) await bob.page.keyboard.press('Shift+ArrowRight');
  await expectConverged([alice, bob], 2);
  expect((await alice.shapes()).find((s) => s.id === rect.id)).toMatchObject({ x: rect.x + 30 });

  // Alice undoes once (the whole resize drag is one step): Bob's move stays
  await alice.page.getByTestId('undo').click();
  await expectConverged([alice, bob], 2);
  expect((await bob.shapes()).find((s) => s.id === rect.id)).toMatchObject({ x: rect.x + 30, y: rect.y, w: rect.w, h: rect.h });
  // undoing again removes Alice's rectangle, never Bob's ellipse
  await alice.page.keyboard.press('Control+z');
  await expectConverged([alice, bob], 1);
  expect((await bob.shapes())[0].type).toBe('ellipse');
  await alice.page.keyboard.press('Control+Shift+z');
  await expectConverged([alice, bob], 2);
});

test('concurrent reorders by two users converge on one z-order', async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  for (let i = 0; i < 4; i++) await drawWith(alice, 'rectangle', { x: 150 + i * 40, y: 200 + i * 20 }, { x: 300 + i * 40, y: 320 + i * 20 });
  await expectConverged([alice, bob], 4);
  const ids = (await alice.shapes()).map((s) => s.id);
  await clickAt(alice, { x: 160, y: 210 }); // only the bottom one covers this point
  await clickAt(bob, { x: 410, y: 370 }); // only the top one
  expect(await selection(alice)).toEqual([ids[0]]);
  expect(await selection(bob)).toEqual([ids[3]]);
  await Promise.all([alice.page.getByTestId('action-bring-to-front').click(), bob.page.getByTestId('action-send-to-back').click()]);
  await expectConverged([alice, bob], 4);
  expect((await bob.shapes()).map((s) => s.id)).toEqual([ids[3], ids[1], ids[2], ids[0]]);
  await Promise.all([alice.page.getByTestId('action-send-backward').click(), bob.page.getByTestId('action-bring-forward').click()]);
  await expectConverged([alice, bob], 4);
  expect(new Set((await alice.shapes()).map((s) => s.id))).toEqual(new Set(ids));
});
