/** Environment parsing for the limits: defaults, values, and one clear error per bad variable. */
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_FILES, DEFAULT_HISTORY, DEFAULT_LIMITS, loadConfig as load } from './config';

// Next's types make NODE_ENV required on ProcessEnv; a plain record is what the server reads
const loadConfig = (vars: Record<string, string>) => load(vars as NodeJS.ProcessEnv);

describe('loadConfig limits', () => {
  it('uses documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject(DEFAULT_LIMITS);
    expect(c.allowedOrigins).toBeNull();
    expect(c.shutdownTimeoutMs).toBeGreaterThan(c.drainMs);
  });

  it('reads every limit and normalises ALLOWED_ORIGINS', () => {
    const c = loadConfig({
      MAX_BOARD_BYTES: '2048',
      MAX_AWARENESS_STATE_BYTES: '512',
      RATE_LIMIT_MESSAGES_PER_SEC: '50',
      RATE_LIMIT_BYTES_PER_SEC: '65536',
      MAX_CONNECTIONS_PER_BOARD: '10',
      MAX_CONNECTIONS_PER_IP: '20',
      ALLOWED_ORIGINS: 'https://Board.Example/, http://localhost:3000',
      DRAIN_MS: '30000',
    });
    expect(c).toMatchObject({
      maxBoardBytes: 2048,
      maxAwarenessStateBytes: 512,
      rateLimitMessagesPerSec: 50,
      rateLimitBytesPerSec: 65536,
      maxConnectionsPerBoard: 10,
      maxConnectionsPerIp: 20,
      allowedOrigins: ['https://board.example', 'http://localhost:3000'],
      drainMs: 30000,
    });
    expect(c.shutdownTimeoutMs).toBeGreaterThanOrEqual(37_000);
  });

  it('names each bad variable', () => {
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'https://ok.example,ftp://x,https://a.example/path', RATE_LIMIT_MESSAGES_PER_SEC: '0' })).toThrow(
      new ConfigError(
        'Invalid configuration: RATE_LIMIT_MESSAGES_PER_SEC="0": Too small: expected number to be >=1; ' +
          'ALLOWED_ORIGINS="https://ok.example,ftp://x,https://a.example/path": "ftp://x" is not an origin like https://example.com; ' +
          'ALLOWED_ORIGINS="https://ok.example,ftp://x,https://a.example/path": "https://a.example/path" is not an origin like https://example.com',
      ),
    );
  });
});

describe('loadConfig hardening knobs', () => {
  it('reads SYNC_DURABILITY, LINK_SWEEP_MS and METRICS_TOKEN with their defaults', () => {
    expect(loadConfig({})).toMatchObject({ syncDurability: 'normal', linkSweepMs: 5_000, metricsToken: null });
    expect(loadConfig({ SYNC_DURABILITY: 'full', LINK_SWEEP_MS: '250', METRICS_TOKEN: 'a-metrics-token-0123' })).toMatchObject({
      syncDurability: 'full',
      linkSweepMs: 250,
      metricsToken: 'a-metrics-token-0123',
    });
  });

  it('names a bad value in one line, and never prints the metrics token', () => {
    expect(() => loadConfig({ SYNC_DURABILITY: 'paranoid' })).toThrow(/^Invalid configuration: SYNC_DURABILITY="paranoid": /);
    expect(() => loadConfig({ LINK_SWEEP_MS: '10' })).toThrow(/LINK_SWEEP_MS="10"/);
    let message = '';
    try {
      loadConfig({ METRICS_TOKEN: 'short-secret' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe('Invalid configuration: METRICS_TOKEN=(hidden): must be at least 16 characters');
  });
});

describe('loadConfig version history and trash', () => {
  it('uses the documented defaults', () => {
    expect(DEFAULT_HISTORY).toEqual({
      historySettleMs: 30_000,
      historyIntervalMs: 300_000,
      historyKeepAllHours: 24,
      historyKeepHourlyDays: 30,
      historyKeepDailyDays: 0,
      historyPruneMs: 3_600_000,
      trashRetentionDays: 30,
    });
    expect(loadConfig({})).toMatchObject(DEFAULT_HISTORY);
  });

  it('reads every variable', () => {
    expect(
      loadConfig({
        HISTORY_SETTLE_MS: '500',
        HISTORY_INTERVAL_MS: '60000',
        HISTORY_KEEP_ALL_HOURS: '48',
        HISTORY_KEEP_HOURLY_DAYS: '7',
        HISTORY_KEEP_DAILY_DAYS: '365',
        HISTORY_PRUNE_MS: '120000',
        TRASH_RETENTION_DAYS: '3',
      }),
    ).toMatchObject({
      historySettleMs: 500,
      historyIntervalMs: 60_000,
      historyKeepAllHours: 48,
      historyKeepHourlyDays: 7,
      historyKeepDailyDays: 365,
      historyPruneMs: 120_000,
      trashRetentionDays: 3,
    });
  });

  it('names bad values in one line', () => {
    expect(() => loadConfig({ HISTORY_SETTLE_MS: '5', TRASH_RETENTION_DAYS: '0', HISTORY_PRUNE_MS: '1h' })).toThrow(
      new ConfigError(
        'Invalid configuration: HISTORY_SETTLE_MS="5": Too small: expected number to be >=100; ' +
          'HISTORY_PRUNE_MS="1h": must be a whole number; ' +
          'TRASH_RETENTION_DAYS="0": Too small: expected number to be >=1',
      ),
    );
  });

  it('refuses retention tiers that do not nest', () => {
    expect(() => loadConfig({ HISTORY_KEEP_ALL_HOURS: '72', HISTORY_KEEP_HOURLY_DAYS: '2' })).toThrow(
      'Invalid configuration: HISTORY_KEEP_HOURLY_DAYS=2 must cover HISTORY_KEEP_ALL_HOURS=72',
    );
    expect(() => loadConfig({ HISTORY_KEEP_DAILY_DAYS: '10' })).toThrow(
      'Invalid configuration: HISTORY_KEEP_DAILY_DAYS=10 must be 0 (forever) or at least HISTORY_KEEP_HOURLY_DAYS=30',
    );
    expect(loadConfig({ HISTORY_KEEP_DAILY_DAYS: '30' }).historyKeepDailyDays).toBe(30);
  });
});

describe('loadConfig file limits', () => {
  it('reads MAX_FILE_BYTES, BOARD_FILES_MAX_BYTES, MAX_IMAGE_PIXELS, FILE_UPLOADS_PER_MINUTE with the contract defaults', () => {
    expect(loadConfig({})).toMatchObject(DEFAULT_FILES);
    expect(
      loadConfig({ MAX_FILE_BYTES: '1048576', BOARD_FILES_MAX_BYTES: '10485760', MAX_IMAGE_PIXELS: '1000000', FILE_UPLOADS_PER_MINUTE: '10' }),
    ).toMatchObject({ maxFileBytes: 1048576, boardFilesMaxBytes: 10485760, maxImagePixels: 1000000, fileUploadsPerMinute: 10 });
  });

  it('names a bad value, and refuses a board quota smaller than one file', () => {
    expect(() => loadConfig({ MAX_FILE_BYTES: '25MB' })).toThrow(/MAX_FILE_BYTES="25MB": must be a whole number/);
    expect(() => loadConfig({ FILE_UPLOADS_PER_MINUTE: '0' })).toThrow(/FILE_UPLOADS_PER_MINUTE="0"/);
    expect(() => loadConfig({ MAX_FILE_BYTES: '4096', BOARD_FILES_MAX_BYTES: '2048' })).toThrow(
      'BOARD_FILES_MAX_BYTES=2048 must be at least MAX_FILE_BYTES=4096',
    );
  });
});
