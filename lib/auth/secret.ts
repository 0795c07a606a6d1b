/**
 * The HMAC secret both the web app and the sync server sign with (Node only).
 *
 * AUTH_SECRET from the environment wins (>= 32 characters). Otherwise a random one is created
 * once at DATA_DIR/auth-secret (mode 0600) and re-read afterwards, so an embedded single-host
 * install works with no configuration as long as both processes share DATA_DIR. Creation is
 * race-safe: the secret is written to a temp file and hard-linked into place; link() fails with
 * EEXIST if another process won, and then we read theirs (never a half-written file).
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIN_SECRET_LENGTH = 32;
export const SECRET_FILE = 'auth-secret';

export class AuthSecretError extends Error {}

function checkSecret(value: string, source: string): string {
  const trimmed = value.trim();
  if (trimmed.length < MIN_SECRET_LENGTH) {
    throw new AuthSecretError(`${source} must be at least ${MIN_SECRET_LENGTH} characters (got ${trimmed.length})`);
  }
  return trimmed;
}

/** Returns the signing key; throws AuthSecretError with a one-line message on bad input. */
export function loadAuthSecret(env: Readonly<Record<string, string | undefined>>, dataDir: string): Uint8Array {
  if (env.AUTH_SECRET !== undefined && env.AUTH_SECRET !== '') {
    return new TextEncoder().encode(checkSecret(env.AUTH_SECRET, 'AUTH_SECRET'));
  }
  const file = join(dataDir, SECRET_FILE);
  return new TextEncoder().encode(checkSecret(readOrCreate(file, dataDir), file));
}

function readOrCreate(file: string, dataDir: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // DATA_DIR also holds every board's link keys: private to this user (see server/persistence/data-dir.ts)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(temp);
  }
  return readFileSync(file, 'utf8');
}
