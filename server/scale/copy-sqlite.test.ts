/** Copying a single-server SQLite install into Postgres keeps every board's content and links. */
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTestDatabase, describeWithServices, missingServices } from '../integration/cluster-harness';
import { PostgresStorage } from '../persistence/postgres';
import { SqliteStorage } from '../persistence/sqlite';
import { makeTempDir } from '../testing/helpers';
import { copySqliteToPostgres } from './copy-sqlite';

const missing = await missingServices(['postgres']);
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function contentOf(stored: { snapshot: Uint8Array | null; updates: Uint8Array[] }): unknown {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc.getMap('shapes').toJSON();
}

describeWithServices('copy SQLite -> Postgres', missing, () => {
  it('copies content (snapshot + tail) and link keys, and leaves boards already there alone', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const file = join(tmp.dir, 'commonboard.db');
    const sqlite = new SqliteStorage(file);
    const doc = new Y.Doc();
    const log: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => log.push(u));
    for (let i = 0; i < 10; i++) doc.getMap('shapes').set(`s${i}`, { x: i });
    for (const u of log) await sqlite.appendUpdates('compacted', [u]);
    await sqlite.compact('compacted', Y.mergeUpdates(log.slice(0, 6)), 6);
    await sqlite.appendUpdates('plain', [log[0]]);
    await sqlite.createBoardLinks('compacted', { edit: 'edit-key', view: 'view-key' });
    await sqlite.rotateBoardLink('compacted', 'view', 'view-key-2');
    await sqlite.createBoardLinks('links-only', { edit: 'e', view: 'v' });
    const expected = contentOf(await sqlite.load('compacted'));
    await sqlite.close();

    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const pg = await PostgresStorage.open(db.url);
    cleanups.push(() => pg.close());
    const other = new Y.Doc();
    other.getMap('shapes').set('moved', true);
    await pg.appendUpdates('plain', [Y.encodeStateAsUpdate(other)]); // already moved earlier: must not be touched
    const result = await copySqliteToPostgres(file, pg);
    expect(result).toEqual({ copied: ['compacted', 'links-only'], skipped: ['plain'] });
    expect(contentOf(await pg.load('compacted'))).toEqual(expected);
    expect(await pg.getBoardLinks('compacted')).toEqual({ edit: { key: 'edit-key', version: 1 }, view: { key: 'view-key-2', version: 1 } });
    expect(contentOf(await pg.load('plain'))).toEqual({ moved: true });
    expect(await copySqliteToPostgres(file, pg)).toEqual({ copied: [], skipped: ['compacted', 'links-only', 'plain'] });
  });
});
