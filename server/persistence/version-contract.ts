/**
 * The version store contract every backend passes (SQLite and Postgres run the same function):
 * exact reconstruction through diff chains, dedupe, checkpoint, deletion with folding, retention,
 * corruption reported as VersionCorruptError. Trash: trash-contract.ts. Call
 * `describeVersionContract` from a backend's test file.
 */
import { brotliCompressSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { EvolvingBoard, viewOf, viewOfState, type BoardView } from '../testing/versioned-board';
import { MAX_DIFFS_PER_FULL } from './version-chain';
import { versionsToPrune } from './version-retention';
import type { Storage } from './storage';
import { VersionCorruptError, type NewVersion, type VersionStore } from './versions';

export type VersionedStorage = Storage & VersionStore;

export interface VersionFixture {
  /** Opens (or reopens) the backend on the same underlying data. */
  open(): Promise<VersionedStorage>;
  /** Raw SQL on the same data, past the store (damage, inspection): `$n` placeholders, each used once, in order. */
  sql(text: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

export type OpenVersioned = () => Promise<{ store: VersionedStorage; fixture: VersionFixture }>;

/** Opens a fresh fixture per call and closes everything after each test. */
export function useVersionFixtures(makeFixture: () => Promise<VersionFixture>): OpenVersioned {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });
  return async () => {
    const fixture = await makeFixture();
    cleanups.push(() => fixture.dispose());
    const store = await fixture.open();
    cleanups.push(() => store.close());
    return { store, fixture };
  };
}

/** (id, base) of a board's stored rows, oldest first. */
async function chain(fixture: VersionFixture, boardId: string): Promise<{ id: number; base: number | null }[]> {
  const rows = await fixture.sql('SELECT id, base_id FROM versions WHERE board_id = $1 ORDER BY id', [boardId]);
  return rows.map((r) => ({ id: Number(r.id), base: r.base_id === null ? null : Number(r.base_id) }));
}

/** Adds `count` versions of an evolving board (big enough that its versions chain as diffs); returns what each must load back as, by id. */
async function addMany(store: VersionStore, boardId: string, count: number, b = new EvolvingBoard(3).seed(300), at?: (i: number) => Partial<NewVersion>) {
  const views = new Map<number, BoardView>();
  for (let i = 0; i < count; i++) {
    b.step();
    const meta = await store.addVersion(boardId, b.version(at?.(i)));
    views.set(meta!.id, viewOf(b.board));
  }
  return views;
}

/** Every stored version loads back exactly as it was taken. */
async function expectAllLoad(store: VersionStore, boardId: string, views: Map<number, BoardView>): Promise<void> {
  const ids = (await store.listVersions(boardId)).map((v) => v.id);
  expect(ids.length).toBeGreaterThan(0);
  for (const id of ids) expect(viewOfState((await store.loadVersionState(boardId, id))!), `version ${id}`).toEqual(views.get(id));
}

export function describeVersionContract(name: string, makeFixture: () => Promise<VersionFixture>): void {
  describe(`version store contract: ${name}`, () => {
    const open = useVersionFixtures(makeFixture);

    it('knows nothing of an unknown board', async () => {
      const { store } = await open();
      expect(await store.listVersions('none')).toEqual([]);
      expect(await store.getVersion('none', 1)).toBeNull();
      expect(await store.loadVersionState('none', 1)).toBeNull();
      expect(await store.getCheckpoint('none')).toBeNull();
      expect(await store.versionBytes('none')).toBe(0);
      expect(await store.renameVersion('none', 1, 'x')).toBe(false);
      expect(await store.deleteVersion('none', 1)).toBe(false);
      expect(await store.setCheckpoint('none', 1)).toBe(false);
    });

    it('stores metadata and lists newest first, paged, with ids never reused', async () => {
      const { store } = await open();
      const b = new EvolvingBoard(1);
      b.step();
      const first = await store.addVersion('m', { ...b.version({ kind: 'named', name: 'Start', editors: ['Ada'] }), createdAt: 1_000 });
      expect(first).toEqual({
        id: 1, createdAt: 1_000, kind: 'named', name: 'Start', editors: ['Ada'], added: 1, changed: 2, removed: 0,
        shapeCount: b.board.shapes.size, bytes: first!.bytes, checkpoint: false,
      });
      expect(first!.bytes).toBeGreaterThan(0);
      for (let i = 2; i <= 5; i++) {
        b.step();
        await store.addVersion('m', b.version({ createdAt: i * 1_000, kind: i === 3 ? 'pre-restore' : 'auto' }));
      }
      expect((await store.listVersions('m')).map((v) => v.id)).toEqual([5, 4, 3, 2, 1]);
      expect((await store.listVersions('m', { limit: 2 })).map((v) => v.id)).toEqual([5, 4]);
      expect((await store.listVersions('m', { limit: 2, beforeId: 4 })).map((v) => v.id)).toEqual([3, 2]);
      // the newest version also keeps its delete set for the next diff: its row shrinks once it is not the newest
      expect(await store.getVersion('m', 1)).toEqual({ ...first, bytes: expect.any(Number) });
      expect((await store.getVersion('m', 1))!.bytes).toBeLessThanOrEqual(first!.bytes);
      expect((await store.getVersion('m', 3))?.kind).toBe('pre-restore');
      expect(await store.versionBytes('m')).toBe((await store.listVersions('m')).reduce((n, v) => n + v.bytes, 0));
      expect(await store.listVersions('other')).toEqual([]);
      expect(await store.deleteVersion('m', 5)).toBe(true);
      expect((await store.addVersion('m', b.version()))!.id).toBe(6);
    });

    it('gives back exactly the board of every version: shapes and note content, across deletions', async () => {
      const { store, fixture } = await open();
      const views = await addMany(store, 'exact', 80);
      await expectAllLoad(store, 'exact', views);
      const rows = await chain(fixture, 'exact');
      expect(rows[0].base).toBeNull();
      expect(rows.some((r) => r.base !== null)).toBe(true);
      let sinceFull = 0;
      for (const [i, r] of rows.entries()) {
        sinceFull = r.base === null ? 0 : sinceFull + 1;
        expect(sinceFull).toBeLessThanOrEqual(MAX_DIFFS_PER_FULL);
        if (r.base !== null) expect(r.base).toBe(rows[i - 1].id);
      }
      // some shapes were deleted and some notes rewritten along the way, and versions differ
      expect(views.get(80)!.shapes).not.toEqual(views.get(40)!.shapes);
      expect(Object.values(views.get(80)!.notes).some((n) => JSON.stringify(n).includes('step'))).toBe(true);
    });

    it('stores small changes as diffs, a full state after 32 of them, and big changes as full states', async () => {
      const { store, fixture } = await open();
      const b = new EvolvingBoard(5).seed(1_000);
      for (let i = 0; i < 40; i++) {
        b.touch(3);
        await store.addVersion('small', b.version());
      }
      expect((await chain(fixture, 'small')).filter((r) => r.base === null).map((r) => r.id)).toEqual([1, 2 + MAX_DIFFS_PER_FULL]);
      const bytes = (await store.listVersions('small')).map((v) => v.bytes);
      expect(Math.max(...bytes.slice(1, 6))).toBeLessThan(bytes.at(-1)! / 10); // diffs cost about the change
      // a version that adds as much as the whole board had: each diff outweighs half a full state
      const big = new EvolvingBoard(6).seed(20);
      for (let i = 0; i < 4; i++) {
        big.seed(40 * 2 ** i);
        await store.addVersion('big', big.version());
      }
      expect((await chain(fixture, 'big')).map((r) => r.base)).toEqual([null, null, null, null]);
    });

    it('survives a reopen', async () => {
      const { store, fixture } = await open();
      const views = await addMany(store, 'kept', 5);
      await store.setCheckpoint('kept', 2);
      await store.close();
      const again = await fixture.open();
      try {
        await expectAllLoad(again, 'kept', views);
        expect(await again.getCheckpoint('kept')).toBe(2);
      } finally {
        await again.close();
      }
    });

    it('dedupes automatic versions by seq and age only when asked; named and pre-restore never', async () => {
      const { store } = await open();
      const b = new EvolvingBoard(2);
      b.step();
      const at = (createdAt: number, seq: number, kind: NewVersion['kind'] = 'auto') => ({ ...b.version({ createdAt, seq, kind }) });
      const dedupe = { dedupeWithinMs: 60_000 };
      expect(await store.addVersion('d', at(1_000_000, 5), dedupe)).not.toBeNull(); // first one: nothing to dedupe against
      expect(await store.addVersion('d', at(2_000_000, 5), dedupe)).toBeNull(); // seq already covered
      expect(await store.addVersion('d', at(2_000_000, 4), dedupe)).toBeNull();
      expect(await store.addVersion('d', at(1_030_000, 6), dedupe)).toBeNull(); // 30 s after the newest
      expect(await store.addVersion('d', at(1_060_000, 6), dedupe)).not.toBeNull(); // 60 s: taken
      expect(await store.addVersion('d', at(1_060_001, 6), { dedupeWithinMs: 0 })).toBeNull(); // seq rule still applies
      expect(await store.addVersion('d', at(1_060_001, 6))).not.toBeNull(); // no dedupe asked
      expect(await store.addVersion('d', at(1_060_002, 6, 'named'), dedupe)).not.toBeNull();
      expect(await store.addVersion('d', at(1_060_003, 6, 'pre-restore'), dedupe)).not.toBeNull();
      expect((await store.listVersions('d')).map((v) => v.kind)).toEqual(['pre-restore', 'named', 'auto', 'auto', 'auto']);
    });

    it('renames (kind becomes named) and un-names (kind kept)', async () => {
      const { store } = await open();
      await addMany(store, 'r', 2);
      expect(await store.renameVersion('r', 1, 'Before the workshop')).toBe(true);
      expect(await store.getVersion('r', 1)).toMatchObject({ name: 'Before the workshop', kind: 'named' });
      expect(await store.renameVersion('r', 1, null)).toBe(true);
      expect(await store.getVersion('r', 1)).toMatchObject({ name: null, kind: 'named' });
      expect(await store.renameVersion('r', 9, 'x')).toBe(false);
    });

    it('marks one checkpoint per board, clears it, and forgets it when its version is deleted', async () => {
      const { store } = await open();
      await addMany(store, 'c', 3);
      expect(await store.setCheckpoint('c', 2)).toBe(true);
      expect(await store.getCheckpoint('c')).toBe(2);
      expect((await store.listVersions('c')).map((v) => v.checkpoint)).toEqual([false, true, false]);
      expect((await store.getVersion('c', 2))?.checkpoint).toBe(true);
      expect(await store.setCheckpoint('c', 7)).toBe(false);
      expect(await store.getCheckpoint('c')).toBe(2);
      expect(await store.setCheckpoint('c', 3)).toBe(true);
      expect((await store.listVersions('c')).filter((v) => v.checkpoint).map((v) => v.id)).toEqual([3]);
      expect(await store.setCheckpoint('c', null)).toBe(true);
      expect(await store.getCheckpoint('c')).toBeNull();
      await store.setCheckpoint('c', 1);
      expect(await store.deleteVersion('c', 1)).toBe(true);
      expect(await store.getCheckpoint('c')).toBeNull();
    });

    it('deletes versions by folding their diffs into the successor: every remaining one still loads exactly', async () => {
      const { store, fixture } = await open();
      const views = await addMany(store, 'del', 40);
      const before = await chain(fixture, 'del');
      const secondFull = before.find((r) => r.base === null && r.id > 5 && r.id < 40)?.id ?? null;
      expect(secondFull).not.toBeNull();
      // a diff in the middle, the first full (its successor becomes full), two in a row, the newest, a later full
      for (const id of [5, 1, 2, 3, 40, secondFull!]) {
        expect(await store.deleteVersion('del', id)).toBe(true);
        views.delete(id);
        await expectAllLoad(store, 'del', views);
      }
      expect(await store.deleteVersion('del', 5)).toBe(false);
      const after = await chain(fixture, 'del');
      expect(after[0]).toEqual({ id: 4, base: null });
      for (const [i, r] of after.entries()) if (r.base !== null) expect(r.base).toBe(after[i - 1].id);
      expect(await store.versionBytes('del')).toBe((await store.listVersions('del')).reduce((n, v) => n + v.bytes, 0));
    });

    it('prunes by the retention tiers, keeping named, checkpoint and newest; every remaining version loads', async () => {
      const { store } = await open();
      const HOUR = 3_600_000;
      const DAY = 24 * HOUR;
      const now = 100 * DAY;
      const times = [
        ...Array.from({ length: 15 }, (_, i) => now - 45 * DAY + i * DAY), // beyond keepDaily: deleted
        ...Array.from({ length: 22 * 3 }, (_, i) => now - 29 * DAY + Math.floor(i / 3) * DAY + (i % 3) * 4 * HOUR), // 3 a day
        ...Array.from({ length: 5 * 3 }, (_, i) => now - 6 * DAY + Math.floor(i / 3) * DAY + (i % 3) * 20 * 60_000), // 3 an hour
        ...[20, 10, 5, 1].map((h) => now - h * HOUR), // keep-all
      ];
      const b = new EvolvingBoard(9).seed(300);
      const views = new Map<number, BoardView>();
      const candidates = [];
      for (const [i, createdAt] of times.entries()) {
        b.step(1);
        const kind = i === 3 ? 'named' : 'auto';
        const meta = (await store.addVersion('p', b.version({ createdAt, kind, name: kind === 'named' ? 'kept' : null })))!;
        views.set(meta.id, viewOf(b.board));
        candidates.push({ id: meta.id, createdAt, kind } as const);
      }
      const checkpoint = candidates[15].id; // the oldest of its day: would go
      await store.setCheckpoint('p', checkpoint);
      await addMany(store, 'untouched', 3); // young: nothing to prune
      const policy = { keepAllMs: DAY, keepHourlyMs: 7 * DAY, keepDailyMs: 30 * DAY };
      const expected = versionsToPrune(candidates, checkpoint, policy, now);
      // 15 too old but the named one, 2 of each day's 3 but the checkpoint, 2 of each hour's 3
      expect(expected).toHaveLength(14 + 22 * 2 - 1 + 5 * 2);
      expect(await store.pruneVersions(policy, now)).toBe(expected.length);
      const left = new Set((await store.listVersions('p')).map((v) => v.id));
      expect(left.size).toBe(candidates.length - expected.length);
      for (const id of expected) expect(left.has(id)).toBe(false);
      for (const id of [candidates[3].id, checkpoint, candidates.at(-1)!.id]) expect(left.has(id)).toBe(true);
      expect(await store.getCheckpoint('p')).toBe(checkpoint);
      for (const id of [...views.keys()]) if (!left.has(id)) views.delete(id);
      await expectAllLoad(store, 'p', views);
      expect(await store.listVersions('untouched')).toHaveLength(3);
      expect(await store.pruneVersions(policy, now)).toBe(0); // idempotent
    });

    it('prunes around a damaged version: what cannot be folded stays, the rest goes', async () => {
      const { store, fixture } = await open();
      const old = Date.now() - 40 * 24 * 3_600_000;
      const views = await addMany(store, 'worn', 6, undefined, (i) => ({ createdAt: old + i * 60_000 }));
      expect((await chain(fixture, 'worn')).map((r) => r.base)).toEqual([null, 1, 2, 3, 4, 5]);
      await store.renameVersion('worn', 3, 'kept');
      await fixture.sql('UPDATE versions SET data = $1 WHERE board_id = $2 AND id = $3', [Buffer.from('garbage'), 'worn', 2]);
      // 1, 2, 4 and 5 are due; folding 1-2 into 3 needs the damaged 2, folding 4-5 into 6 does not
      expect(await store.pruneVersions({ keepAllMs: 0, keepHourlyMs: 0, keepDailyMs: 24 * 3_600_000 })).toBe(2);
      expect(await chain(fixture, 'worn')).toEqual([
        { id: 1, base: null },
        { id: 2, base: 1 },
        { id: 3, base: 2 },
        { id: 6, base: 3 },
      ]);
      expect(viewOfState((await store.loadVersionState('worn', 1))!)).toEqual(views.get(1));
      await expect(store.loadVersionState('worn', 6)).rejects.toBeInstanceOf(VersionCorruptError);
    });

    it('reports damaged rows and broken chains as VersionCorruptError, never loading a wrong board', async () => {
      const { store, fixture } = await open();
      const views = await addMany(store, 'bad', 6);
      expect((await chain(fixture, 'bad')).map((r) => r.base)).toEqual([null, 1, 2, 3, 4, 5]);
      await fixture.sql('UPDATE versions SET data = $1 WHERE board_id = $2 AND id = $3', [Buffer.from('garbage, not a version'), 'bad', 3]);
      for (const id of [1, 2]) expect(viewOfState((await store.loadVersionState('bad', id))!)).toEqual(views.get(id));
      for (const id of [3, 4, 6]) await expect(store.loadVersionState('bad', id)).rejects.toBeInstanceOf(VersionCorruptError);
      await expect(store.loadVersionState('bad', 4)).rejects.toThrow(/version 4 of board bad failed to load/);
      expect(await store.listVersions('bad')).toHaveLength(6); // listing reads no state
      // deleting the damaged one would have to fold it into 4: refused, nothing changed
      await expect(store.deleteVersion('bad', 3)).rejects.toBeInstanceOf(VersionCorruptError);
      expect(await store.listVersions('bad')).toHaveLength(6);
      // a missing link (a row removed past the store): its successors fail, the versions before it load
      await fixture.sql('DELETE FROM versions WHERE board_id = $1 AND id = $2', ['bad', 5]);
      await expect(store.loadVersionState('bad', 6)).rejects.toBeInstanceOf(VersionCorruptError);
      // a damaged full state: a checksum catches bytes that still decompress
      const decompressible = Buffer.concat([Buffer.from([1, 0, 0, 0, 0]), brotliCompressSync(Buffer.from('not this version'))]);
      await fixture.sql('UPDATE versions SET data = $1 WHERE board_id = $2 AND id = $3', [decompressible, 'bad', 1]);
      await expect(store.loadVersionState('bad', 1)).rejects.toThrow(/checksum mismatch/);
    });
  });
}
