/**
 * Scale-out through real browsers: two users on one board, each served by a different sync-server
 * process (one Postgres, one Redis), see each other's shapes, moves and cursors live.
 *
 * The web app knows one SYNC_URL, so for this spec the worker's own sync server is stopped and the
 * cluster harness' balancer listens on that port instead; afterwards the worker's server is started
 * again so the next spec finds it as usual. The balancer is pinned to one server per page while it
 * opens, and each server's /metrics shows that it holds exactly one of the two WebSockets.
 *
 * Missing Postgres or redis-server: a loud warning and a skip, except under CI=true where it fails.
 */
import type { Browser } from '@playwright/test';
import {
  createTestDatabase,
  missingServices,
  startBalancer,
  startCluster,
  startOwnRedis,
} from '../server/integration/cluster-harness';
import { createBoard, expect, expectConverged, test as base } from './fixtures';
import { BoardPage, type Point } from './fixtures/board-page';
import { E2E_AUTH_SECRET, E2E_SYNC_PORT } from './fixtures/ports';

/** bench/cluster's range: it never kills its Redis, and benches do not run beside e2e. */
const OWN_REDIS_PORTS = { first: 6397, last: 6399 };

type ClusterRig = {
  /** Routes new connections to server `index` only; null = round robin over both. */
  pinTo(index: number | null): void;
  /** Open WebSockets on server `index`, from its /metrics. */
  connections(index: number): Promise<number>;
  /** Opens the link as `name` in a fresh browser context (closed at teardown). */
  open(browser: Browser, name: string, link: string): Promise<BoardPage>;
};

const test = base.extend<{ rig: ClusterRig }>({
  rig: async ({ syncServer }, use, testInfo) => {
    const missing = await missingServices(['postgres', 'redis-server']);
    if (missing.length > 0) {
      const reason = missing.join('; ');
      if (process.env.CI === 'true') throw new Error(`required service missing under CI: ${reason}`);
      console.warn(`\n${'!'.repeat(78)}\n!! SKIPPING e2e/cluster.spec.ts: ${reason}\n${'!'.repeat(78)}\n`);
      testInfo.skip(true, reason);
      return;
    }

    const cleanups: (() => Promise<unknown>)[] = [];
    await syncServer.stop(); // frees E2E_SYNC_PORT for the balancer
    try {
      const db = await createTestDatabase();
      cleanups.push(() => db.drop());
      const redis = await startOwnRedis(OWN_REDIS_PORTS);
      cleanups.push(() => redis.stop());
      const cluster = await startCluster(2, { DATABASE_URL: db.url, REDIS_URL: redis.url, AUTH_SECRET: E2E_AUTH_SECRET });
      cleanups.push(() => cluster.stop());
      let pinned: number | null = null;
      const balancer = await startBalancer(
        () => (pinned === null ? cluster.livePorts() : [cluster.servers[pinned].port]),
        E2E_SYNC_PORT,
      );
      cleanups.push(() => balancer.close());
      const contexts: { close(): Promise<void> }[] = [];
      cleanups.push(() => Promise.all(contexts.map((c) => c.close())));

      await use({
        pinTo(index) {
          pinned = index;
        },
        async connections(index) {
          const text = await (await fetch(`http://127.0.0.1:${cluster.servers[index].port}/metrics`)).text();
          const line = /^commonboard_connections (\d+)$/m.exec(text);
          if (!line) throw new Error(`no commonboard_connections in server ${index}'s /metrics`);
          return Number(line[1]);
        },
        async open(browser, name, link) {
          const context = await browser.newContext();
          contexts.push(context);
          const user = new BoardPage(await context.newPage(), name);
          await user.open(link);
          return user;
        },
      });
    } finally {
      for (const fn of cleanups.reverse()) await fn().catch((err: unknown) => console.warn('cluster teardown:', err));
      await syncServer.start();
    }
  },
});

async function moveTo(user: BoardPage, to: Point): Promise<void> {
  const box = await user.canvas.boundingBox();
  if (!box) throw new Error('canvas is not visible');
  await user.page.mouse.move(box.x + to.x, box.y + to.y, { steps: 10 });
}

function cursorOf(viewer: BoardPage, name: string) {
  return viewer.page.evaluate((n) => window.commonboard!.getRemoteCursors()[n]?.received ?? null, name);
}

test('two users on two sync servers see each other\'s shapes, moves and cursors live', async ({ rig, browser, request }) => {
  test.slow(); // two server processes, Redis and Postgres start per test on a 2-core box

  const board = await createBoard(request); // through the balancer: the link is stored in Postgres
  rig.pinTo(0);
  const alice = await rig.open(browser, 'Alice', board.editUrl);
  rig.pinTo(1);
  const bob = await rig.open(browser, 'Bob', board.editUrl);
  rig.pinTo(null);

  // the proof that they are on different processes, not an assumption about round robin
  for (const user of [alice, bob]) {
    await user.expectStatus('connected');
    expect(await user.page.evaluate(() => window.commonboard!.getSync().transport)).toBe('websocket');
  }
  await expect.poll(() => Promise.all([rig.connections(0), rig.connections(1)]), { timeout: 15_000 }).toEqual([1, 1]);

  // cursors cross servers both ways
  await moveTo(alice, { x: 400, y: 300 });
  await expect.poll(() => cursorOf(bob, 'Alice'), { timeout: 15_000 }).toEqual({ x: 400, y: 300 });
  await moveTo(bob, { x: 520, y: 180 });
  await expect.poll(() => cursorOf(alice, 'Bob'), { timeout: 15_000 }).toEqual({ x: 520, y: 180 });

  // Alice draws on server 0; Bob, on server 1, sees it and moves it; Alice sees the move
  await alice.drawRectangle({ x: 200, y: 150 }, { x: 360, y: 260 });
  await expect.poll(async () => (await bob.shapes()).length, { timeout: 15_000 }).toBe(1);
  const [drawn] = await bob.shapes();
  expect(drawn.type).toBe('rect');
  await bob.selectTool('select');
  await bob.drag({ x: 280, y: 205 }, { x: 380, y: 255 });
  await expect.poll(async () => (await alice.shapes())[0]?.x, { timeout: 15_000 }).toBeGreaterThan(drawn.x + 50);
  await expectConverged([alice, bob], 1);

  // still one WebSocket per server: nobody reconnected through the other one meanwhile
  expect(await Promise.all([rig.connections(0), rig.connections(1)])).toEqual([1, 1]);
});
