/**
 * Presence windows of several rooms share one timer. Each room must flush when ITS window ends: a
 * timer armed for another room's window used to flush it early, and the room then waited a whole
 * further window (up to twice the window, visible as awareness p99 under load).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../testing/helpers';
import { SqliteStorage } from '../persistence/sqlite';
import { FlushTicker, type Flushable } from './flush-ticker';

const WINDOW_MS = 100;

class RecordingRoom implements Flushable {
  readonly flushedAt: number[] = [];
  constructor(readonly boardId: string) {}
  flush(): null {
    this.flushedAt.push(performance.now());
    return null;
  }
  committed(): void {}
  writeFailed(): void {}
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const fn of cleanups.splice(0).reverse()) fn();
});

/** A ticker on a real (empty) storage, with timers and performance.now() under the test's control. */
function fakeClockTicker(): FlushTicker {
  const tmp = makeTempDir();
  const storage = new SqliteStorage(join(tmp.dir, 'boards.db'));
  cleanups.push(tmp.remove, () => void storage.close());
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
  const rethrow = (err: unknown) => {
    throw err;
  };
  return new FlushTicker(storage, rethrow, null, WINDOW_MS);
}

describe('FlushTicker presence windows', () => {
  it('flushes each deferred room at its own due time, not at another room\'s', async () => {
    const ticker = fakeClockTicker();
    const a = new RecordingRoom('a');
    const b = new RecordingRoom('b');
    const t0 = performance.now();
    ticker.later(a, t0 + WINDOW_MS);
    await vi.advanceTimersByTimeAsync(60);
    ticker.later(b, t0 + 60 + WINDOW_MS);

    await vi.advanceTimersByTimeAsync(WINDOW_MS - 60 + 5); // a's window has ended, b's has not
    expect(a.flushedAt).toHaveLength(1);
    expect(a.flushedAt[0] - t0).toBeGreaterThanOrEqual(WINDOW_MS - 1);
    expect(b.flushedAt).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(60);
    expect(b.flushedAt).toHaveLength(1);
    expect(b.flushedAt[0] - t0).toBeGreaterThanOrEqual(60 + WINDOW_MS - 1);
    expect(b.flushedAt[0] - t0).toBeLessThan(60 + WINDOW_MS + 10);
    expect(a.flushedAt).toHaveLength(1);
  });

  it('keeps the earlier due time when a room is deferred twice', async () => {
    const ticker = fakeClockTicker();
    const a = new RecordingRoom('a');
    const t0 = performance.now();
    ticker.later(a, t0 + 30);
    ticker.later(a); // default: a full window from now, later than the first
    await vi.advanceTimersByTimeAsync(35);
    expect(a.flushedAt).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(WINDOW_MS * 2);
    expect(a.flushedAt).toHaveLength(1);
  });
});
