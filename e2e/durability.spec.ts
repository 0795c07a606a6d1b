import { expect, expectConverged, test } from './fixtures';

test('the board is still there after the sync server restarts', async ({ openUsers, syncServer, boardId }) => {
  const [alice, bob] = await openUsers(2);
  await alice.drawRectangle({ x: 320, y: 120 }, { x: 420, y: 220 });
  await bob.drawRectangle({ x: 500, y: 120 }, { x: 620, y: 240 });
  await expectConverged([alice, bob], 2);
  const before = await alice.shapes();

  await syncServer.restart();
  // Both clients reconnect on their own (1012 is transient) and keep editing.
  await alice.expectStatus('connected');
  await bob.expectStatus('connected');
  await alice.drawRectangle({ x: 320, y: 300 }, { x: 420, y: 380 });
  await expectConverged([alice, bob], 3);

  // A newcomer has no local copy: what it sees came from the server's storage.
  const [carol] = await openUsers(1, { boardId, names: ['Carol'] });
  await expectConverged([alice, bob, carol], 3);
  const ids = (await carol.shapes()).map((s) => s.id);
  for (const shape of before) expect(ids).toContain(shape.id);
});

test('an edit another user has seen survives kill -9 of the sync server', async ({ openUsers, syncServer, boardId }) => {
  const [alice, bob] = await openUsers(2);
  await alice.drawRectangle({ x: 350, y: 150 }, { x: 460, y: 240 });
  await expectConverged([alice, bob], 1);
  const [seen] = await bob.shapes();

  // Nobody is left to re-upload the board after the crash: only the server's disk has it.
  await alice.page.context().close();
  await bob.page.context().close();
  await syncServer.kill9();
  await syncServer.start();

  const [carol] = await openUsers(1, { boardId, names: ['Carol'] });
  await expect.poll(async () => (await carol.shapes()).map((s) => s.id)).toEqual([seen.id]);
  expect((await carol.shapes())[0]).toMatchObject({ x: seen.x, y: seen.y, w: seen.w, h: seen.h });
});
