/** Token format and secret handling; `npm run token` end to end (a real child process). */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthSecretError, loadAuthSecret } from './secret';
import { mintBoardToken, mintServiceToken, verifyBoardToken, verifyServiceToken } from './token';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const SECRET = new TextEncoder().encode('unit-test-secret-0123456789abcdefghijklmnop');
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'commonboard-auth-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('board tokens', () => {
  it('round-trip their claims', async () => {
    const { token, expiresAt } = await mintBoardToken(SECRET, { board: 'b1', role: 'viewer', name: 'Ada', lv: 3 });
    const result = await verifyBoardToken(SECRET, token);
    expect(result).toEqual({ ok: true, claims: { board: 'b1', role: 'viewer', name: 'Ada', lv: 3 }, expiresAt });
  });

  it('reject missing, expired, forged and service tokens', async () => {
    expect(await verifyBoardToken(SECRET, undefined)).toEqual({ ok: false, reason: 'missing' });
    const expired = await mintBoardToken(SECRET, { board: 'b1', role: 'editor', name: 'x' }, -10);
    expect(await verifyBoardToken(SECRET, expired.token)).toEqual({ ok: false, reason: 'expired' });
    const other = new TextEncoder().encode('another-secret-0123456789abcdefghijklmnop');
    const forged = await mintBoardToken(other, { board: 'b1', role: 'editor', name: 'x' });
    expect(await verifyBoardToken(SECRET, forged.token)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyBoardToken(SECRET, await mintServiceToken(SECRET))).toEqual({ ok: false, reason: 'invalid' });
  });

  it('service tokens are not board tokens', async () => {
    expect(await verifyServiceToken(SECRET, await mintServiceToken(SECRET))).toBe(true);
    const board = await mintBoardToken(SECRET, { board: 'b1', role: 'editor', name: 'x' });
    expect(await verifyServiceToken(SECRET, board.token)).toBe(false);
  });
});

describe('auth secret', () => {
  it('is generated once under DATA_DIR with mode 0600 and re-read afterwards', () => {
    const dir = join(tempDir(), 'nested');
    const first = loadAuthSecret({}, dir);
    expect(first.byteLength).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dir, 'auth-secret')).mode & 0o777).toBe(0o600);
    expect(loadAuthSecret({}, dir)).toEqual(first);
    expect(readFileSync(join(dir, 'auth-secret'), 'utf8')).toBe(new TextDecoder().decode(first));
  });

  it('AUTH_SECRET wins and must be at least 32 characters', () => {
    const dir = tempDir();
    expect(new TextDecoder().decode(loadAuthSecret({ AUTH_SECRET: 'x'.repeat(32) }, dir))).toBe('x'.repeat(32));
    expect(() => loadAuthSecret({ AUTH_SECRET: 'short' }, dir)).toThrow(AuthSecretError);
    expect(() => loadAuthSecret({ AUTH_SECRET: 'short' }, dir)).toThrow(/at least 32/);
  });
});

describe('npm run token', () => {
  const script = (args: string[], env: Record<string, string>) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });

  it('prints a token the server accepts for that board and role', async () => {
    const dataDir = tempDir();
    const { stdout } = await script(['my-board', 'viewer', 'Bot'], { DATA_DIR: dataDir, AUTH_SECRET: '' });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = await verifyBoardToken(loadAuthSecret({}, dataDir), lines[0]);
    expect(result).toMatchObject({ ok: true, claims: { board: 'my-board', role: 'viewer', name: 'Bot' } });
  });

  it('explains bad arguments', async () => {
    await expect(script(['my-board', 'owner'], { DATA_DIR: tempDir() })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('invalid role "owner"'),
    });
    await expect(script([], { DATA_DIR: tempDir() })).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run token') });
  });
});
