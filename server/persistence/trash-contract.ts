/**
 * The board trash, for every backend: trashing is idempotent and keeps the first time, untrash,
 * and purging removes every row of the purged boards (log, snapshots, links, versions, meta).
 */
import { describe, expect, it } from 'vitest';
import { EvolvingBoard } from '../testing/versioned-board';
import { useVersionFixtures, type VersionFixture } from './version-contract';

const TABLES = ['updates', 'snapshots', 'board_links', 'versions', 'board_meta'];

export function describeTrashContract(name: string, makeFixture: () => Promise<VersionFixture>): void {
  describe(`trash contract: ${name}`, () => {
    const open = useVersionFixtures(makeFixture);

    it('trashes idempotently (first time kept), lists newest first and untrashes', async () => {
      const { store } = await open();
      expect(await store.trashedAt('a')).toBeNull();
      expect(await store.listTrash()).toEqual([]);
      await store.trashBoard('a', 1_000);
      await store.trashBoard('a', 5_000);
      await store.trashBoard('b', 2_000);
      expect(await store.trashedAt('a')).toBe(1_000);
      expect(await store.listTrash()).toEqual([
        { boardId: 'b', deletedAt: 2_000 },
        { boardId: 'a', deletedAt: 1_000 },
      ]);
      expect(await store.untrashBoard('a')).toBe(true);
      expect(await store.untrashBoard('a')).toBe(false);
      expect(await store.untrashBoard('never')).toBe(false);
      expect(await store.trashedAt('a')).toBeNull();
      await store.trashBoard('a', 9_000); // trashed again: a new first time
      expect(await store.trashedAt('a')).toBe(9_000);
    });

    it('purges every row of boards trashed before the cutoff and nothing else', async () => {
      const { store, fixture } = await open();
      for (const boardId of ['old', 'recent', 'live']) {
        const b = new EvolvingBoard(boardId.length);
        for (let i = 0; i < 3; i++) {
          b.step();
          await store.appendUpdates(boardId, [b.version().state]);
          await store.addVersion(boardId, b.version());
        }
        await store.compact(boardId, b.version().state, 2);
        await store.createBoardLinks(boardId, { edit: `${boardId}-e`, view: `${boardId}-v` });
        await store.setCheckpoint(boardId, 2);
      }
      await store.trashBoard('old', 1_000);
      await store.trashBoard('recent', 5_000);
      const count = async (boardId: string) => {
        const out: Record<string, number> = {};
        for (const t of TABLES) {
          const rows = await fixture.sql(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM ${t} WHERE board_id = $1`, [boardId]);
          out[t] = Number(rows[0].n);
        }
        return out;
      };
      expect(Object.values(await count('old')).every((n) => n > 0)).toBe(true);

      expect(await store.purgeTrash(5_000)).toEqual(['old']);
      expect(await count('old')).toEqual(Object.fromEntries(TABLES.map((t) => [t, 0])));
      expect(await store.load('old')).toEqual({ snapshot: null, snapshotSeq: 0, updates: [], lastSeq: 0, tailBytes: 0 });
      expect(await store.appendUpdates('old', [new EvolvingBoard(1).version().state])).toBe(1); // a new board under that id
      expect(await store.listVersions('old')).toEqual([]);
      expect(await store.trashedAt('old')).toBeNull();
      expect(await store.getBoardLinks('old')).toBeNull();
      for (const kept of ['recent', 'live']) {
        expect(await store.listVersions(kept)).toHaveLength(3);
        expect((await store.load(kept)).lastSeq).toBe(3);
        expect(await store.getCheckpoint(kept)).toBe(2);
      }
      expect(await store.purgeTrash(5_000)).toEqual([]);
      expect(await store.purgeTrash(Date.now())).toEqual(['recent']);
      expect(await store.listTrash()).toEqual([]);
    });
  });
}
