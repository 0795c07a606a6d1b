/**
 * The retention job: every HISTORY_PRUNE_MS, thin out old versions (storage's pruneVersions with
 * the configured tiers) and purge boards that have been in the trash longer than
 * TRASH_RETENTION_DAYS.
 *
 * In a cluster every server runs it. No lock is taken: the VersionStore interface offers none, and
 * none is needed, because both operations are idempotent transactions whose result depends only on
 * the stored rows and `now` — two servers pruning at once delete the same rows, the second finding
 * nothing left to delete. The first run is at a random point of the first period, so servers that
 * start together do not prune together.
 */
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import type { RetentionPolicy, VersionStore } from '../persistence/versions';
import type { CorruptVersions } from './corrupt-versions';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type RetentionConfig = Pick<Config, 'historyKeepAllHours' | 'historyKeepHourlyDays' | 'historyKeepDailyDays' | 'historyPruneMs' | 'trashRetentionDays'>;

export function retentionPolicy(config: RetentionConfig): RetentionPolicy {
  return {
    keepAllMs: config.historyKeepAllHours * HOUR,
    keepHourlyMs: config.historyKeepHourlyDays * DAY,
    keepDailyMs: config.historyKeepDailyDays * DAY,
  };
}

export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<{ pruned: number; purged: string[] }> | null = null;

  constructor(
    private readonly store: VersionStore,
    private readonly config: RetentionConfig,
    private readonly log: Logger,
    private readonly metrics: Metrics | null,
    private readonly corrupt: CorruptVersions | null = null,
  ) {}

  start(): void {
    this.stop();
    const every = this.config.historyPruneMs;
    this.timer = setTimeout(() => {
      void this.run();
      this.timer = setInterval(() => void this.run(), every);
      this.timer.unref();
    }, Math.floor(Math.random() * every));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer); // clears an interval too (same timer ids in Node)
    this.timer = null;
  }

  /** One round (overlapping calls share it); failures are logged and counted, never thrown. */
  run(now: number = Date.now()): Promise<{ pruned: number; purged: string[] }> {
    this.running ??= this.runOnce(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runOnce(now: number): Promise<{ pruned: number; purged: string[] }> {
    let pruned = 0;
    let purged: string[] = [];
    try {
      pruned = await this.store.pruneVersions(retentionPolicy(this.config), now);
    } catch (err) {
      this.metrics?.error('version');
      this.log.error({ err }, 'pruning versions failed');
    }
    try {
      purged = await this.store.purgeTrash(now - this.config.trashRetentionDays * DAY);
      for (const boardId of purged) this.corrupt?.forget(boardId);
    } catch (err) {
      this.metrics?.error('version');
      this.log.error({ err }, 'purging the trash failed');
    }
    if (pruned > 0 || purged.length > 0) this.log.info({ pruned, purged: purged.length }, 'retention: versions pruned, trash purged');
    return { pruned, purged };
  }
}
