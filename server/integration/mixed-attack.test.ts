/**
 * The hardening issue's mixed attack, short: malformed HTTP, fragment and ping floods, fallback
 * streams leaving during their token check and viewer writes in every encoding hit one board of a
 * real server process while two stock clients edit another. The process stays up, the healthy
 * board loses no edit, memory stays bounded and no viewer byte is stored. Latency is measured by
 * `npm run bench:attack`, not asserted here.
 */
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/helpers';
import { runMixedAttack } from '../testing/mixed-attack';

describe('mixed attack', () => {
  it('keeps the server up, the healthy board converging, RSS growth under 64 MiB and viewer bytes out of storage', async () => {
    const data = makeTempDir();
    try {
      const r = await runMixedAttack(data.dir, { baselineMs: 1_000, attackMs: 5_000 });
      expect(r.serverAlive).toBe(true);
      expect(r.lost).toBe(0);
      expect(r.attackMs.length).toBeGreaterThan(20);
      expect(r.storedViewerKeys).toEqual([]);
      expect(r.rssPeakMiB - r.rssBeforeMiB).toBeLessThan(64);
      expect(r.attackCounts['viewer write frames']).toBeGreaterThan(0);
      expect(r.attackCounts['http requests']).toBeGreaterThan(0);
    } finally {
      data.remove();
    }
  }, 60_000);
});
