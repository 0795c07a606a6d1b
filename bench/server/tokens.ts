/**
 * Board tokens for the Commonboard target, which refuses connections without one (close 4401).
 * The bench starts the server with its own AUTH_SECRET and mints editor tokens with the project's
 * lib/auth/token.ts, loaded at runtime so this harness keeps building if that module moves.
 * The reference server ignores the query string, so it gets no tokens.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, type TargetName } from './target';

/** Handed to the Commonboard child as AUTH_SECRET (>= 32 characters). */
export const BENCH_AUTH_SECRET = randomBytes(36).toString('base64url');

type Mint = (
  secret: Uint8Array,
  claims: { board: string; role: 'editor'; name: string },
  ttlSeconds: number,
) => Promise<{ token: string }>;

let mint: Mint | null | undefined;

async function loadMint(): Promise<Mint | null> {
  if (mint !== undefined) return mint;
  const file = join(ROOT, 'lib/auth/token.ts');
  const mod = existsSync(file) ? ((await import(pathToFileURL(file).href)) as Record<string, unknown>) : {};
  mint = typeof mod.mintBoardToken === 'function' ? (mod.mintBoardToken as Mint) : null;
  return mint;
}

/** board id -> token; empty when the target needs none (or the project has no token module). */
export async function tokensFor(target: TargetName, boards: string[]): Promise<Record<string, string>> {
  if (target !== 'commonboard') return {};
  const m = await loadMint();
  if (!m) return {};
  const secret = new TextEncoder().encode(BENCH_AUTH_SECRET);
  const out: Record<string, string> = {};
  for (const board of boards) {
    out[board] = (await m(secret, { board, role: 'editor', name: 'bench' }, 3600)).token;
  }
  return out;
}
