/** Retention tiers on synthetic timestamps (pure: no database). */
import { describe, expect, it } from 'vitest';
import { versionsToPrune, type RetentionCandidate } from './version-retention';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = 1_000 * DAY; // midnight UTC, so hour and day buckets are easy to read
const policy = { keepAllMs: 2 * HOUR, keepHourlyMs: DAY, keepDailyMs: 7 * DAY };

/** Versions at the given ages (ms before NOW), ids in age order (oldest = 1). */
function at(...ages: number[]): RetentionCandidate[] {
  return [...ages].sort((a, b) => b - a).map((age, i) => ({ id: i + 1, createdAt: NOW - age, kind: 'auto' }));
}

describe('versionsToPrune', () => {
  it('keeps everything younger than keepAllMs', () => {
    expect(versionsToPrune(at(1 * MIN, 30 * MIN, 119 * MIN), null, policy, NOW)).toEqual([]);
  });

  it('keeps the newest of each clock hour between keepAll and keepHourly', () => {
    // 3 in the hour 5:00-6:00 before NOW, 2 in the hour before, 1 alone
    const v = at(5 * HOUR + 50 * MIN, 5 * HOUR + 20 * MIN, 5 * HOUR + 5 * MIN, 6 * HOUR + 40 * MIN, 6 * HOUR + 10 * MIN, 9 * HOUR, 1 * MIN);
    // ids by age: 1 = 9h, 2 = 6h40, 3 = 6h10, 4 = 5h50, 5 = 5h20, 6 = 5h05, 7 = 1 min
    expect(versionsToPrune(v, null, policy, NOW)).toEqual([2, 4, 5]);
  });

  it('keeps the newest of each UTC day between keepHourly and keepDaily, deletes older', () => {
    const v = at(2 * DAY + 3 * HOUR, 2 * DAY + 10 * HOUR, 2 * DAY + 20 * HOUR, 3 * DAY + 1 * HOUR, 8 * DAY, 30 * DAY, 1 * MIN);
    // 1 = 30 d, 2 = 8 d (beyond keepDaily), 3 = 3d1h, 4..6 = one day (2d20h, 2d10h, 2d3h), 7 = newest
    expect(versionsToPrune(v, null, policy, NOW)).toEqual([1, 2, 4, 5]);
  });

  it('keeps daily versions forever when keepDailyMs is 0', () => {
    const v = at(400 * DAY + HOUR, 400 * DAY + 2 * HOUR, 30 * DAY, 1 * MIN); // the first two: one day
    expect(versionsToPrune(v, null, { ...policy, keepDailyMs: 0 }, NOW)).toEqual([1]);
  });

  it('always keeps named versions, the checkpoint and the newest, however old', () => {
    const v = at(90 * DAY, 80 * DAY, 70 * DAY, 60 * DAY);
    v[0].kind = 'named';
    expect(versionsToPrune(v, 2, policy, NOW)).toEqual([3]);
    // a protected version does not count as its bucket's newest: the bucket keeps one more
    const sameDay = at(3 * DAY + HOUR, 3 * DAY + 2 * HOUR, 3 * DAY + 3 * HOUR, 1 * MIN);
    sameDay[2].kind = 'named'; // the newest of that day
    expect(versionsToPrune(sameDay, null, policy, NOW)).toEqual([1]);
  });

  it('treats versions from the future (clock skew) as young, and an empty board as nothing to do', () => {
    expect(versionsToPrune(at(-5 * MIN, 1 * MIN), null, policy, NOW)).toEqual([]);
    expect(versionsToPrune([], null, policy, NOW)).toEqual([]);
  });

  it('is idempotent: pruning what is left deletes nothing more', () => {
    const v = at(...Array.from({ length: 500 }, (_, i) => i * 23 * MIN));
    const doomed = new Set(versionsToPrune(v, null, policy, NOW));
    expect(doomed.size).toBeGreaterThan(300);
    expect(versionsToPrune(v.filter((x) => !doomed.has(x.id)), null, policy, NOW)).toEqual([]);
  });
});
