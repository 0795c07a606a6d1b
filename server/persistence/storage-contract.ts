/**
 * The storage contract every backend passes (SQLite and Postgres run the same function): ordered
 * append log, batches across boards, snapshots replacing the log, links, and data surviving a
 * reopen. Call `describeStorageContract` from a backend's test file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Storage } from './storage';

export interface StorageFixture {
  /** Opens (or reopens) the backend on the same underlying data. */
  open(): Promise<Storage>;
  /** Removes the data after the test. */
  dispose(): Promise<void>;
}

/** An update that sets `key` on map `m` of a fresh doc, so every update is distinct and valid. */
function update(key: string, value: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('m').set(key, value);
  return Y.encodeStateAsUpdate(doc);
}

function replay(stored: { snapshot: Uint8Array | null; updates: Uint8Array[] }): Record<string, unknown> {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc.getMap('m').toJSON();
}

export function describeStorageContract(name: string, makeFixture: () => Promise<StorageFixture>): void {
  describe(`storage contract: ${name}`, () => {
    const cleanups: (() => Promise<unknown>)[] = [];
    afterEach(async () => {
      for (const fn of cleanups.splice(0).reverse()) await fn();
    });

    async function open(): Promise<{ storage: Storage; fixture: StorageFixture }> {
      const fixture = await makeFixture();
      cleanups.push(() => fixture.dispose());
      const storage = await fixture.open();
      cleanups.push(() => storage.close());
      return { storage, fixture };
    }

    it('loads an unknown board as empty', async () => {
      const { storage } = await open();
      expect(await storage.load('nothing-here')).toEqual({ snapshot: null, snapshotSeq: 0, updates: [], lastSeq: 0, tailBytes: 0 });
    });

    it('appends in order with consecutive seqs and loads the log back', async () => {
      const { storage } = await open();
      const a = [update('a', 1), update('b', 2)];
      const c = update('c', 3);
      expect(await storage.appendUpdates('board', a)).toBe(2);
      expect(await storage.appendUpdates('board', [c])).toBe(3);
      const stored = await storage.load('board');
      expect(stored.lastSeq).toBe(3);
      expect(stored.updates.map((u) => [...u])).toEqual([...a, c].map((u) => [...u]));
      expect(stored.tailBytes).toBe(stored.updates.reduce((n, u) => n + u.byteLength, 0));
      expect(replay(stored)).toEqual({ a: 1, b: 2, c: 3 });
    });

    it('appends several boards in one batch, each with its own seqs, in input order', async () => {
      const { storage } = await open();
      await storage.appendUpdates('zeta', [update('z', 1)]);
      const batch = storage.appendBatch?.bind(storage) ?? null;
      const batches = [
        { boardId: 'zeta', updates: [update('z2', 2), update('z3', 3)] },
        { boardId: 'alpha', updates: [update('a1', 1)] },
      ];
      const seqs = batch ? await batch(batches) : await Promise.all(batches.map((b) => storage.appendUpdates(b.boardId, b.updates)));
      expect(seqs).toEqual([3, 1]);
      expect(replay(await storage.load('zeta'))).toEqual({ z: 1, z2: 2, z3: 3 });
      expect(replay(await storage.load('alpha'))).toEqual({ a1: 1 });
      // one board twice in a batch: in order, each entry ending at its own seq
      const again = [
        { boardId: 'alpha', updates: [update('a2', 2)] },
        { boardId: 'zeta', updates: [update('z4', 4)] },
        { boardId: 'alpha', updates: [update('a3', 3), update('a4', 4)] },
      ];
      if (batch) expect(await batch(again)).toEqual([2, 4, 4]);
      else for (const b of again) await storage.appendUpdates(b.boardId, b.updates);
      expect(await storage.appendUpdates('alpha', [])).toBe(4); // nothing to append: the last seq
    });

    it('replaces compacted updates with the snapshot and keeps counting after it', async () => {
      const { storage } = await open();
      for (let i = 0; i < 5; i++) await storage.appendUpdates('c', [update(`k${i}`, i)]);
      const merged = Y.mergeUpdates((await storage.load('c')).updates.slice(0, 4));
      await storage.compact('c', merged, 4);
      const after = await storage.load('c');
      expect(after.snapshotSeq).toBe(4);
      expect(after.snapshot).not.toBeNull();
      expect(after.updates).toHaveLength(1);
      expect(after.lastSeq).toBe(5);
      expect(replay(after)).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4 });
      expect(await storage.appendUpdates('c', [update('k5', 5)])).toBe(6);
      // a compaction of everything leaves no tail; seqs never restart
      await storage.compact('c', Y.mergeUpdates([merged, ...after.updates, update('k5', 5)]), 6);
      const all = await storage.load('c');
      expect(all.updates).toHaveLength(0);
      expect(all.lastSeq).toBe(6);
      expect(await storage.appendUpdates('c', [update('k6', 6)])).toBe(7);
      expect(Object.keys(replay(await storage.load('c')))).toHaveLength(7);
    });

    it('keeps boards and links across a reopen', async () => {
      const { storage, fixture } = await open();
      await storage.appendUpdates('kept', [update('x', 1)]);
      const links = await storage.createBoardLinks('kept', { edit: 'e'.repeat(22), view: 'v'.repeat(22) });
      await storage.close();
      const again = await fixture.open();
      cleanups.push(() => again.close());
      expect(replay(await again.load('kept'))).toEqual({ x: 1 });
      expect(await again.getBoardLinks('kept')).toEqual(links);
      expect(await again.appendUpdates('kept', [update('y', 2)])).toBe(2);
    });

    it('creates links once (idempotent) and rotates one kind, bumping its version', async () => {
      const { storage } = await open();
      expect(await storage.getBoardLinks('l')).toBeNull();
      const first = await storage.createBoardLinks('l', { edit: 'edit-1', view: 'view-1' });
      expect(first).toEqual({ edit: { key: 'edit-1', version: 1 }, view: { key: 'view-1', version: 1 } });
      expect(await storage.createBoardLinks('l', { edit: 'other', view: 'other' })).toEqual(first);
      const rotated = await storage.rotateBoardLink('l', 'view', 'view-2');
      expect(rotated).toEqual({ edit: { key: 'edit-1', version: 1 }, view: { key: 'view-2', version: 2 } });
      expect(await storage.getBoardLinks('l')).toEqual(rotated);
      expect(await storage.rotateBoardLink('no-links', 'edit', 'x')).toBeNull();
    });
  });
}
