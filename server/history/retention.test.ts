/**
 * The retention job against the VersionStore double: the configured tiers reach pruneVersions as
 * a policy (all / hourly / daily / beyond), trashed boards are purged only after the retention
 * period, a failing store is logged and the other half still runs, and the timer runs it
 * periodically without holding the process open.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_HISTORY } from '../config';
import { createLogger } from '../logger';
import { MemoryVersionStore } from '../testing/memory-version-store';
import { CorruptVersions } from './corrupt-versions';
import { RetentionJob, retentionPolicy } from './retention';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2030, 0, 31, 12);
const log = createLogger('silent');

async function addAt(store: MemoryVersionStore, boardId: string, createdAt: number, kind: 'auto' | 'named' = 'auto'): Promise<number> {
  const meta = await store.addVersion(boardId, {
    kind,
    name: kind === 'named' ? 'kept' : null,
    editors: [],
    added: 0,
    changed: 0,
    removed: 0,
    shapeCount: 0,
    seq: 0,
    state: new Uint8Array([0, 0]),
    createdAt,
  });
  return meta!.id;
}

describe('retention', () => {
  it('maps the tiers to a policy (0 daily days = keep dailies forever)', () => {
    expect(retentionPolicy(DEFAULT_HISTORY)).toEqual({ keepAllMs: 24 * HOUR, keepHourlyMs: 30 * DAY, keepDailyMs: 0 });
    expect(retentionPolicy({ ...DEFAULT_HISTORY, historyKeepAllHours: 2, historyKeepHourlyDays: 3, historyKeepDailyDays: 90 })).toEqual({
      keepAllMs: 2 * HOUR,
      keepHourlyMs: 3 * DAY,
      keepDailyMs: 90 * DAY,
    });
  });

  it('prunes by tier and purges only what has been in the trash past the retention period', async () => {
    const store = new MemoryVersionStore();
    const config = { ...DEFAULT_HISTORY, historyKeepAllHours: 2, historyKeepHourlyDays: 2, historyKeepDailyDays: 10, trashRetentionDays: 30 };
    // oldest first: two in one hour a day ago, two in one day five days ago, one 20 days ago (past daily), a named one 40 days ago, recent ones
    const named = await addAt(store, 'b', NOW - 40 * DAY, 'named');
    const tooOld = await addAt(store, 'b', NOW - 20 * DAY);
    const dayA = await addAt(store, 'b', NOW - 5 * DAY - 2 * HOUR);
    const dayB = await addAt(store, 'b', NOW - 5 * DAY - HOUR);
    const hourA = await addAt(store, 'b', NOW - DAY - 30 * 60_000);
    const hourB = await addAt(store, 'b', NOW - DAY - 10 * 60_000);
    const recentA = await addAt(store, 'b', NOW - HOUR);
    const recentB = await addAt(store, 'b', NOW - 60_000);
    await store.trashBoard('old-trash', NOW - 31 * DAY);
    await store.trashBoard('new-trash', NOW - 29 * DAY);
    await addAt(store, 'old-trash', NOW - 40 * DAY);
    const corrupt = new CorruptVersions();
    corrupt.add('old-trash', 1);

    const job = new RetentionJob(store, config, log, null, corrupt);
    expect(await job.run(NOW)).toEqual({ pruned: 3, purged: ['old-trash'] });
    expect((await store.listVersions('b')).map((v) => v.id)).toEqual([recentB, recentA, hourB, dayB, named]);
    for (const id of [tooOld, dayA, hourA]) expect(await store.getVersion('b', id)).toBeNull();
    expect((await store.listTrash()).map((t) => t.boardId)).toEqual(['new-trash']);
    expect(await store.listVersions('old-trash')).toEqual([]);
    expect(corrupt.among('old-trash', [1])).toEqual([]);
    // idempotent: a second run (another server's) finds nothing left
    expect(await job.run(NOW)).toEqual({ pruned: 0, purged: [] });
  });

  it('a failing prune is logged, never thrown; the purge still runs', async () => {
    const store = new MemoryVersionStore();
    store.pruneVersions = async () => {
      throw new Error('database gone (test)');
    };
    await store.trashBoard('gone', NOW - 100 * DAY);
    const job = new RetentionJob(store, DEFAULT_HISTORY, log, null);
    expect(await job.run(NOW)).toEqual({ pruned: 0, purged: ['gone'] });
  });

  it('runs every HISTORY_PRUNE_MS once started, overlapping runs shared', async () => {
    const store = new MemoryVersionStore();
    let runs = 0;
    const prune = store.pruneVersions.bind(store);
    store.pruneVersions = async (policy, now) => {
      runs++;
      await new Promise((r) => setTimeout(r, 50));
      return prune(policy, now);
    };
    const job = new RetentionJob(store, { ...DEFAULT_HISTORY, historyPruneMs: 200 }, log, null);
    await Promise.all([job.run(), job.run()]);
    expect(runs).toBe(1);
    job.start();
    await new Promise((r) => setTimeout(r, 700));
    job.stop();
    const after = runs;
    expect(after).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 400));
    expect(runs).toBe(after);
  });
});
