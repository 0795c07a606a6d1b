/**
 * Which versions of one board retention deletes (pure: both databases call it inside the
 * transaction that deletes them, so a version named or marked meanwhile is never lost).
 *
 * Tiers by age (now - createdAt): younger than keepAllMs, kept; up to keepHourlyMs, the newest of
 * each clock hour is kept; older, the newest of each day, until keepDailyMs (0 = forever); older
 * still, deleted. "Newest of its hour/day" is among the versions of the same tier that are not
 * protected anyway, as in the history service's in-memory store, so a bucket straddling two tiers
 * keeps one version per tier until its versions all age into the older one. Hours and days are
 * UTC: the same for every server of a cluster, whatever its time zone.
 *
 * Always kept: named versions, the checkpoint and the board's newest version (the next capture
 * diffs against it, and it is what the board looked like last).
 */
import type { RetentionPolicy, VersionKind } from './versions';

export interface RetentionCandidate {
  id: number;
  createdAt: number;
  kind: VersionKind;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Ids to delete, ascending. */
export function versionsToPrune(
  versions: readonly RetentionCandidate[],
  checkpointId: number | null,
  policy: RetentionPolicy,
  now: number,
): number[] {
  if (versions.length === 0) return [];
  const newestId = Math.max(...versions.map((v) => v.id));
  const winners = new Map<string, RetentionCandidate>();
  const inBuckets: RetentionCandidate[] = [];
  const doomed: number[] = [];
  for (const v of versions) {
    const age = now - v.createdAt;
    if (v.id === newestId || v.kind === 'named' || v.id === checkpointId || age < policy.keepAllMs) continue;
    let bucket: string;
    if (age < policy.keepHourlyMs) bucket = `h${Math.floor(v.createdAt / HOUR)}`;
    else if (policy.keepDailyMs === 0 || age < policy.keepDailyMs) bucket = `d${Math.floor(v.createdAt / DAY)}`;
    else {
      doomed.push(v.id);
      continue;
    }
    inBuckets.push(v);
    const best = winners.get(bucket);
    if (!best || v.createdAt > best.createdAt || (v.createdAt === best.createdAt && v.id > best.id)) winners.set(bucket, v);
  }
  const kept = new Set([...winners.values()].map((v) => v.id));
  for (const v of inBuckets) if (!kept.has(v.id)) doomed.push(v.id);
  return doomed.sort((a, b) => a - b);
}
