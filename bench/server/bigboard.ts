/**
 * `bigboard`: a board whose log holds N small updates, written straight into Commonboard's own
 * SQLite storage class. Times storage load + apply, compaction, load after compaction, and the
 * real server's first join on such a board. Skipped (not faked) when the storage module is absent.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { ROOT, Target } from './target';
import { tokensFor } from './tokens';
import { BenchProvider } from './worker-clients';

/** The slice of server/persistence/storage.ts this bench relies on, checked at runtime. */
interface StorageLike {
  load(boardId: string): Promise<{ snapshot: Uint8Array | null; updates: Uint8Array[] }>;
  appendUpdates(boardId: string, updates: Uint8Array[]): Promise<number>;
  compact(boardId: string, state: Uint8Array, uptoSeq: number): Promise<void>;
  close(): Promise<void>;
}
type StorageClass = new (file: string) => StorageLike;

export type BigBoardResult =
  | { skipped: string }
  | {
      updates: number;
      logBytes: number;
      appendMs: number;
      loadMs: number;
      applyMs: number;
      compactMs: number;
      snapshotBytes: number;
      loadAfterCompactMs: number;
      serverFirstJoinMs: number;
      serverSecondJoinMs: number;
    };

const MODULE = join(ROOT, 'server/persistence/sqlite.ts');

async function findStorageClass(): Promise<StorageClass | null> {
  if (!existsSync(MODULE)) return null;
  const mod = (await import(pathToFileURL(MODULE).href)) as Record<string, unknown>;
  for (const value of Object.values(mod)) {
    if (typeof value !== 'function') continue;
    const proto = (value as { prototype?: Record<string, unknown> }).prototype;
    if (proto && ['load', 'appendUpdates', 'compact', 'close'].every((m) => typeof proto[m] === 'function')) {
      return value as StorageClass;
    }
  }
  return null;
}

const timed = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
};

export async function runBigBoard(n: number, log: (s: string) => void): Promise<BigBoardResult> {
  const Storage = await findStorageClass();
  if (!Storage) return { skipped: 'skipped: no storage module' };
  const dir = mkdtempSync(join(tmpdir(), 'cb-bigboard-'));
  try {
    // n small updates, as n shape moves would produce: 1,000 shapes, each moved n/1000 times
    const source = new Y.Doc();
    const shapes = source.getMap('shapes');
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < n; i++) shapes.set(`shape-${i % 1000}`, { x: i, y: i * 2, s: i });
    const logBytes = updates.reduce((s, u) => s + u.byteLength, 0);
    const file = join(dir, 'commonboard.db');
    const storage = new Storage(file);
    // two identical boards: one the bench compacts, one the real server loads untouched
    const [, appendMs] = await timed(async () => {
      for (const board of ['big-a', 'big-b']) {
        for (let i = 0; i < updates.length; i += 1000) await storage.appendUpdates(board, updates.slice(i, i + 1000));
      }
    });
    log(`  bigboard: wrote ${n} updates (${logBytes} bytes) twice`);
    const [stored, loadMs] = await timed(() => storage.load('big-a'));
    const doc = new Y.Doc();
    const [, applyMs] = await timed(() =>
      Y.transact(doc, () => {
        if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
        for (const u of stored.updates) Y.applyUpdate(doc, u);
      }),
    );
    if (stored.updates.length !== n) throw new Error(`bigboard: loaded ${stored.updates.length}/${n} updates`);
    let snapshotBytes = 0;
    const [, compactMs] = await timed(async () => {
      const state = Y.encodeStateAsUpdate(doc);
      snapshotBytes = state.byteLength;
      await storage.compact('big-a', state, n);
    });
    const [, loadAfterCompactMs] = await timed(async () => {
      const again = await storage.load('big-a');
      const d = new Y.Doc();
      if (again.snapshot) Y.applyUpdate(d, again.snapshot);
      for (const u of again.updates) Y.applyUpdate(d, u);
    });
    await storage.close();

    const target = await Target.start('commonboard', { dataDir: dir });
    const { 'big-b': token } = await tokensFor('commonboard', ['big-b']);
    const join1 = async () => {
      const client = new BenchProvider(target.url, 'big-b', null, token);
      const [ok, ms] = await timed(() => client.whenSynced(120_000));
      const size = client.shapes.size;
      client.destroy();
      if (!ok || size !== 1000) throw new Error(`bigboard: server join synced=${ok} with ${size}/1000 shapes`);
      return ms;
    };
    let serverFirstJoinMs: number;
    let serverSecondJoinMs: number;
    try {
      serverFirstJoinMs = await join1();
      serverSecondJoinMs = await join1(); // board may still be loaded: the warm path
    } finally {
      await target.stop(30_000);
    }
    return {
      updates: n,
      logBytes,
      appendMs,
      loadMs,
      applyMs,
      compactMs,
      snapshotBytes,
      loadAfterCompactMs,
      serverFirstJoinMs,
      serverSecondJoinMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
