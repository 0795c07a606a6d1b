/**
 * DATA_DIR holds every board's share-link keys and the signing secret: a real server process
 * creates it 0700 with its files 0600 (under the usual umask 022), and tightens an existing
 * install whose folder and files are world-readable, saying so in its log.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, makeTempDir, spawnServer, testToken, waitFor, type ChildServer } from '../testing/helpers';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
const FILES = ['commonboard.db', 'commonboard.db-wal', 'commonboard.db-shm', 'auth-secret'];

/** A server process with its own auth-secret file (AUTH_SECRET unset) that has written one edit. */
async function runAndWrite(dataDir: string): Promise<ChildServer> {
  const server = await spawnServer(dataDir, { AUTH_SECRET: '' });
  cleanups.push(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
  });
  return server;
}

async function editOnce(server: ChildServer, dataDir: string): Promise<void> {
  const secret = readFileSync(join(dataDir, 'auth-secret'), 'utf8');
  const client = connectClient(server.url, 'modes', undefined, { token: testToken('modes', { secret }) });
  cleanups.push(() => client.destroy());
  await waitFor(() => client.provider.synced, { what: 'sync' });
  client.doc.getMap('shapes').set('a', 1);
  await waitFor(() => statSync(join(dataDir, 'commonboard.db-wal')).size > 0, { what: 'the edit in the WAL' });
}

describe('DATA_DIR permissions', () => {
  it('a new DATA_DIR is 0700 and the database, its WAL/SHM and auth-secret are 0600', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const dataDir = join(tmp.dir, 'fresh', 'data');
    const server = await runAndWrite(dataDir);
    await editOnce(server, dataDir);
    expect(mode(dataDir)).toBe('700');
    for (const f of FILES) expect(`${f} ${mode(join(dataDir, f))}`).toBe(`${f} 600`);
  });

  it('tightens an existing world-readable install at start and logs it', async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const dataDir = join(tmp.dir, 'old');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'auth-secret'), 'an-old-install-secret-0123456789abcdef', { mode: 0o644 });
    chmodSync(join(dataDir, 'auth-secret'), 0o644);
    const first = await spawnServer(dataDir, { AUTH_SECRET: '' });
    first.child.kill('SIGTERM');
    await first.exited;
    for (const f of ['commonboard.db', 'auth-secret']) chmodSync(join(dataDir, f), 0o644);
    chmodSync(dataDir, 0o755);

    const server = await runAndWrite(dataDir);
    await editOnce(server, dataDir);
    expect(mode(dataDir)).toBe('700');
    for (const f of FILES) expect(`${f} ${mode(join(dataDir, f))}`).toBe(`${f} 600`);
    const warnings = server.logLines.filter((l) => l.includes('tightened'));
    expect(warnings.length).toBeGreaterThanOrEqual(3); // folder, database, auth-secret
  });
});
