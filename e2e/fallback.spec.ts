/**
 * WebSocket-blocked networks (issue #7): with the sync server refusing every WebSocket upgrade
 * (REFUSE_WEBSOCKET=1, as a blocking proxy would), clients fall back to HTTP (SSE + POST) on their
 * own and still collaborate, edits and cursors; once WebSockets work again they switch back.
 */
import type { BoardPage, Point } from './fixtures/board-page';
import { expect, expectConverged, test } from './fixtures';

const transport = (user: BoardPage) => user.page.evaluate(() => window.commonboard!.getSync().transport);
const cursorOf = (user: BoardPage, name: string) => user.page.evaluate((n) => window.commonboard!.getRemoteCursors()[n]?.received ?? null, name);

async function moveTo(user: BoardPage, to: Point): Promise<void> {
  const box = (await user.canvas.boundingBox())!;
  await user.page.mouse.move(box.x + to.x, box.y + to.y, { steps: 6 });
}

test.describe.configure({ timeout: 90_000 });

test('with WebSocket upgrades refused, two users collaborate through the HTTP fallback, then return to WebSockets', async ({
  openUsers,
  syncServer,
}) => {
  await syncServer.restartWith({ REFUSE_WEBSOCKET: '1' });
  try {
    const [alice, bob] = await openUsers(2);
    await expect.poll(() => transport(alice)).toBe('http');
    await expect.poll(() => transport(bob)).toBe('http');
    await expect(alice.status).toHaveAttribute('data-transport', 'http');
    await alice.expectStatus('connected');

    await alice.drawRectangle({ x: 300, y: 120 }, { x: 400, y: 200 });
    await bob.drawRectangle({ x: 600, y: 120 }, { x: 700, y: 220 });
    await expectConverged([alice, bob], 2);
    await expect(alice.page.getByTestId('unsynced-count')).toHaveAttribute('data-count', '0');

    await moveTo(bob, { x: 500, y: 400 });
    await expect.poll(() => cursorOf(alice, 'Bob')).toEqual({ x: 500, y: 400 });
    await moveTo(alice, { x: 450, y: 350 });
    await expect.poll(() => cursorOf(bob, 'Alice')).toEqual({ x: 450, y: 350 });

    // WebSockets work again: the restart drops the fallback streams and the clients reconnect over WebSocket
    await syncServer.restartWith({});
    await expect.poll(() => transport(alice), { timeout: 30_000 }).toBe('websocket');
    await expect.poll(() => transport(bob), { timeout: 30_000 }).toBe('websocket');
    await alice.drawRectangle({ x: 300, y: 300 }, { x: 380, y: 360 });
    await expectConverged([alice, bob], 3);
  } finally {
    await syncServer.restartWith({}); // the worker's server is shared with later specs
  }
});
