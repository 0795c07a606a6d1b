import { clickAt, drawWith, linePoints, selection } from './canvas-helpers';
import { expect, expectConverged, test } from './fixtures';

// Two browser contexts drawing through real input events: slow on a loaded 2-core machine.
test.slow();

test('an arrow bound from A to B follows B when the other user moves B', async ({ openUsers }, testInfo) => {
  const [alice, bob] = await openUsers(2);
  await drawWith(alice, 'rectangle', { x: 300, y: 200 }, { x: 450, y: 300 });
  await drawWith(alice, 'ellipse', { x: 700, y: 200 }, { x: 850, y: 300 });
  const [a, b] = await alice.shapes();
  await drawWith(alice, 'arrow', { x: 375, y: 250 }, { x: 775, y: 250 });
  await expectConverged([alice, bob], 3);
  const arrow = (await bob.shapes()).find((s) => s.type === 'arrow')!;
  expect(arrow.start).toMatchObject({ shapeId: a.id });
  expect(arrow.end).toMatchObject({ shapeId: b.id });

  // Bob drags B down by 200 (grabbing it away from the arrow line)
  await bob.selectTool('select');
  await bob.drag({ x: 800, y: 285 }, { x: 800, y: 485 });
  await expectConverged([alice, bob], 3);
  const moved = (await alice.shapes()).find((s) => s.id === b.id)!;
  expect(moved.y).toBeCloseTo(400, 0);
  for (const user of [alice, bob]) {
    await expect.poll(async () => (await linePoints(user, arrow.id))?.[1].y).toBeCloseTo(450, 0);
    expect((await linePoints(user, arrow.id))![1].x).toBeCloseTo(775, 0);
    expect((await linePoints(user, arrow.id))![0]).toEqual({ x: 375, y: 250 });
  }
  // the arrow itself was never rewritten by the move: the binding is the only fact
  expect((await alice.shapes()).find((s) => s.id === arrow.id)).toEqual(arrow);
  await alice.page.screenshot({ path: testInfo.outputPath('arrow-follows.png') });

  // Deleting B leaves the arrow unbound where it was drawn
  await clickAt(bob, { x: 800, y: 470 });
  await bob.page.keyboard.press('Delete');
  await expectConverged([alice, bob], 2);
  const unbound = (await alice.shapes()).find((s) => s.id === arrow.id)!;
  expect(unbound.end).toBeNull();
  expect((await linePoints(alice, arrow.id))![1].y).toBeCloseTo(450, 0);
});

test("undo in one tab reverts only that user's change, even on the same shape", async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  await drawWith(alice, 'rectangle', { x: 300, y: 200 }, { x: 400, y: 300 });
  await drawWith(bob, 'ellipse', { x: 600, y: 200 }, { x: 700, y: 300 });
  await expectConverged([alice, bob], 2);
  const rect = (await alice.shapes()).find((s) => s.type === 'rect')!;

  // Alice resizes her rectangle from the corner handle (w/h only)…
  await clickAt(alice, { x: 350, y: 250 });
  const handle = (await alice.page.getByTestId('handle-se').boundingBox())!;
  await alice.page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await alice.page.mouse.down();
  await alice.page.mouse.move(handle.x + 100, handle.y + 60, { steps: 6 });
  await alice.page.mouse.up();
  await expect.poll(async () => (await bob.shapes()).find((s) => s.id === rect.id)?.w).toBeCloseTo(200, -1);
  // …while Bob moves the same rectangle (x/y) with the keyboard
  await clickAt(bob, { x: 350, y: 250 });
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
  for (let i = 0; i < 4; i++) await drawWith(alice, 'rectangle', { x: 350 + i * 40, y: 200 + i * 20 }, { x: 500 + i * 40, y: 320 + i * 20 });
  await expectConverged([alice, bob], 4);
  const ids = (await alice.shapes()).map((s) => s.id);
  await clickAt(alice, { x: 360, y: 210 }); // only the bottom one covers this point
  await clickAt(bob, { x: 610, y: 370 }); // only the top one
  expect(await selection(alice)).toEqual([ids[0]]);
  expect(await selection(bob)).toEqual([ids[3]]);
  await Promise.all([alice.page.getByTestId('action-bring-to-front').click(), bob.page.getByTestId('action-send-to-back').click()]);
  await expectConverged([alice, bob], 4);
  expect((await bob.shapes()).map((s) => s.id)).toEqual([ids[3], ids[1], ids[2], ids[0]]);
  await Promise.all([alice.page.getByTestId('action-send-backward').click(), bob.page.getByTestId('action-bring-forward').click()]);
  await expectConverged([alice, bob], 4);
  expect(new Set((await alice.shapes()).map((s) => s.id))).toEqual(new Set(ids));
});

test("one user re-targets an arrow's end while another moves its start target: both survive", async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  await drawWith(alice, 'rectangle', { x: 300, y: 200 }, { x: 400, y: 300 });
  await drawWith(alice, 'rectangle', { x: 700, y: 200 }, { x: 800, y: 300 });
  await drawWith(alice, 'ellipse', { x: 700, y: 430 }, { x: 800, y: 530 });
  const [a, , c] = await alice.shapes();
  await drawWith(alice, 'arrow', { x: 350, y: 250 }, { x: 750, y: 250 });
  await expectConverged([alice, bob], 4);
  const arrow = (await alice.shapes()).find((s) => s.type === 'arrow')!;
  // Alice drags the arrow's end handle from B onto C (the arrow stays selected after drawing it)…
  const end = (await alice.page.getByTestId('handle-end').boundingBox())!;
  await alice.page.mouse.move(end.x + end.width / 2, end.y + end.height / 2);
  await alice.page.mouse.down();
  const canvas = (await alice.canvas.boundingBox())!;
  // …while Bob drags A down by 100
  await bob.selectTool('select');
  await bob.drag({ x: 320, y: 290 }, { x: 320, y: 390 });
  await alice.page.mouse.move(canvas.x + 750, canvas.y + 480, { steps: 8 });
  await alice.page.mouse.up();
  await expectConverged([alice, bob], 4);
  const after = (await bob.shapes()).find((s) => s.id === arrow.id)!;
  expect(after.start).toMatchObject({ shapeId: a.id });
  expect(after.end).toMatchObject({ shapeId: c.id });
  for (const user of [alice, bob]) {
    const pts = (await linePoints(user, arrow.id))!;
    expect(pts[0].y).toBeCloseTo(350, 0); // follows A's move
    expect(pts[1]).toEqual({ x: 750, y: 480 });
  }
});
