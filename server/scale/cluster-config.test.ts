/** Scale-out settings: validated at start with one clear line, and REDIS_URL only with shared storage and secret. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config';

// Next's types make NODE_ENV required on ProcessEnv; a plain record is what the server reads
const load = (vars: Record<string, string>) => loadConfig(vars as NodeJS.ProcessEnv);
const SECRET = 'x'.repeat(40);

describe('scale-out configuration', () => {
  it('defaults to the single-process setup', () => {
    const c = load({});
    expect(c.databaseUrl).toBeNull();
    expect(c.redisUrl).toBeNull();
    expect(c.serverId).toMatch(/^[A-Za-z0-9_.-]{1,64}$/);
    expect(c.clusterPollMs).toBe(1_000);
  });

  it('reads DATABASE_URL, REDIS_URL, SERVER_ID and CLUSTER_POLL_MS', () => {
    const c = load({
      DATABASE_URL: 'postgres://u:p@db:5432/cb',
      REDIS_URL: 'rediss://cache:6380',
      SERVER_ID: 'sync-3',
      CLUSTER_POLL_MS: '250',
      AUTH_SECRET: SECRET,
    });
    expect(c).toMatchObject({ databaseUrl: 'postgres://u:p@db:5432/cb', redisUrl: 'rediss://cache:6380', serverId: 'sync-3', clusterPollMs: 250 });
  });

  it('refuses bad values and REDIS_URL without shared storage or a shared secret', () => {
    expect(() => load({ DATABASE_URL: 'mysql://db' })).toThrow(/DATABASE_URL="mysql:\/\/db": must be a postgres/);
    expect(() => load({ SERVER_ID: 'has space' })).toThrow(/SERVER_ID/);
    expect(() => load({ CLUSTER_POLL_MS: '5' })).toThrow(/CLUSTER_POLL_MS/);
    expect(() => load({ REDIS_URL: 'redis://r', AUTH_SECRET: SECRET })).toThrow(/DATABASE_URL is required/);
    expect(() => load({ REDIS_URL: 'redis://r', DATABASE_URL: 'postgres://db/cb' })).toThrow(ConfigError);
    expect(() => load({ REDIS_URL: 'redis://r', DATABASE_URL: 'postgres://db/cb' })).toThrow(/AUTH_SECRET is required/);
  });
});
