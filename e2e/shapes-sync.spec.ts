import { expect, expectConverged, test } from './fixtures';

test('a rectangle drawn by A appears for B, B moves it, A deletes it', async ({ openUsers }) => {
  const [alice, bob] = await openUsers(2);
  await alice.expectStatus('connected');
  await bob.expectStatus('connected');

  await alice.drawRectangle({ x: 200, y: 150 }, { x: 360, y: 260 });
  await expect.poll(async () => (await bob.shapes()).length).toBe(1);
  const [drawn] = await bob.shapes();
  expect(drawn.type).toBe('rect');
  expect(drawn.w).toBeGreaterThan(100);
  expect(drawn.h).toBeGreaterThan(80);
  await expectConverged([alice, bob], 1);

  // Bob drags it by its middle with the select tool.
  await bob.selectTool('select');
  await bob.drag({ x: 280, y: 205 }, { x: 380, y: 255 });
  await expect.poll(async () => (await alice.shapes())[0]?.x).toBeGreaterThan(drawn.x + 50);
  await expectConverged([alice, bob], 1);

  // Alice selects and deletes it.
  await alice.selectTool('select');
  const moved = (await alice.shapes())[0];
  await alice.canvas.click({ position: { x: moved.x + moved.w / 2, y: moved.y + moved.h / 2 } });
  await alice.page.keyboard.press('Delete');
  await expectConverged([alice, bob], 0);
});

test('three users drawing at once converge on every rectangle', async ({ openUsers }) => {
  const users = await openUsers(3);
  await Promise.all(
    users.map((user, i) => user.drawRectangle({ x: 300 + i * 150, y: 120 }, { x: 400 + i * 150, y: 220 })),
  );
  await expectConverged(users, 3);
});
