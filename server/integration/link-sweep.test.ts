/**
 * Link rotation is enforced from storage, not only by the rotation message: a connection whose
 * link version is older than the stored one is closed with 4401 within LINK_SWEEP_MS, whether the
 * rotation happened on another server (Postgres, no Redis) or the message was lost (SQLite,
 * rotated straight in storage).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mintServiceToken } from '../../lib/auth/token';
import { CloseCode } from '../../lib/protocol/close-codes';
import { createLogger } from '../logger';
import { SqliteStorage } from '../persistence/sqlite';
import { startServer } from '../start-server';
import { createTestDatabase, describeWithServices, missingServices } from './cluster-harness';
import { connectClient, makeTempDir, spawnServer, TEST_AUTH_SECRET, testConfig, testToken, waitFor, type TestClient } from '../testing/helpers';

const SWEEP_MS = 300;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A stock client that records how its socket was closed (and does not reconnect after). */
function watched(url: string, boardId: string, token: string): { client: TestClient; closes: { code: number; reason: string }[] } {
  const client = connectClient(url, boardId, undefined, { token });
  const closes: { code: number; reason: string }[] = [];
  client.provider.on('connection-close', (event: CloseEvent | null) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  cleanups.push(() => client.destroy());
  return { client, closes };
}

describe('link sweep (SQLite, one server)', () => {
  it('closes a connection whose link was rotated in storage without any message, within the sweep', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const storage = new SqliteStorage(join(tmp.dir, 'commonboard.db'));
    const server = await startServer(testConfig(tmp.dir, { linkSweepMs: SWEEP_MS, drainMs: 0 }), {
      logger: createLogger('silent'),
      storage,
      authSecret: new TextEncoder().encode(TEST_AUTH_SECRET),
    });
    cleanups.push(() => server.close());
    await storage.createBoardLinks('swept', { edit: 'edit-key-0123456789abcdef', view: 'view-key-0123456789abcdef' });
    const viewer = watched(server.url, 'swept', testToken('swept', { role: 'viewer', lv: 1 }));
    const editor = watched(server.url, 'swept', testToken('swept', { role: 'editor', lv: 1 }));
    const operator = watched(server.url, 'swept', testToken('swept'));
    await waitFor(() => viewer.client.provider.synced && editor.client.provider.synced && operator.client.provider.synced, { what: 'sync' });

    // the "lost message": only storage knows
    await storage.rotateBoardLink('swept', 'view', 'view-key-rotated-0123456789');
    const rotatedAt = Date.now();
    await waitFor(() => viewer.closes.length > 0, { timeout: SWEEP_MS * 3 + 2_000, what: 'viewer closed' });
    expect(Date.now() - rotatedAt).toBeLessThan(SWEEP_MS * 3 + 1_000);
    expect(viewer.closes[0]).toEqual({ code: CloseCode.Unauthorized, reason: 'link rotated' });
    // the edit link and the operator token were not rotated
    await new Promise((r) => setTimeout(r, SWEEP_MS * 2));
    expect(editor.closes).toEqual([]);
    expect(operator.closes).toEqual([]);
  });
});

const missing = await missingServices(['postgres']);

describeWithServices('link sweep (two servers on one Postgres, no Redis)', missing, () => {
  it('a rotation on server A closes the old link on server B with 4401 within the sweep interval', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const env = { DATABASE_URL: db.url, LINK_SWEEP_MS: String(SWEEP_MS), CLUSTER_POLL_MS: '1000' };
    const [a, b] = await Promise.all([spawnServer(join(tmp.dir, 'a'), { ...env, SERVER_ID: 'a' }), spawnServer(join(tmp.dir, 'b'), { ...env, SERVER_ID: 'b' })]);
    cleanups.push(async () => {
      for (const s of [a, b]) s.child.kill('SIGKILL');
      await Promise.all([a.exited, b.exited]);
    });
    const apiA = `http://127.0.0.1:${a.port}/api/boards/pg-swept/links`;
    const service = await mintServiceToken(new TextEncoder().encode(TEST_AUTH_SECRET));
    const post = async (url: string, body?: unknown) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${service}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { edit: { version: number }; view: { version: number } };
    };
    const links = await post(apiA);
    const onB = watched(b.url, 'pg-swept', testToken('pg-swept', { role: 'editor', lv: links.edit.version }));
    const viewerOnB = watched(b.url, 'pg-swept', testToken('pg-swept', { role: 'viewer', lv: links.view.version }));
    await waitFor(() => onB.client.provider.synced && viewerOnB.client.provider.synced, { what: 'sync on B' });

    const rotated = await post(`${apiA}/rotate`, { kind: 'edit' });
    expect(rotated.edit.version).toBe(links.edit.version + 1);
    const rotatedAt = Date.now();
    await waitFor(() => onB.closes.length > 0, { timeout: SWEEP_MS * 3 + 3_000, what: 'editor on B closed' });
    expect(Date.now() - rotatedAt).toBeLessThan(SWEEP_MS * 3 + 2_000);
    expect(onB.closes[0]).toEqual({ code: CloseCode.Unauthorized, reason: 'link rotated' });
    expect(viewerOnB.closes).toEqual([]);
    expect(b.logLines.some((l) => l.includes('share link rotation enforced from storage'))).toBe(true);
  }, 60_000); // two server processes and a Postgres database on a 2-core machine
});
