/**
 * Signed tokens shared by the web app (mints) and the sync server (verifies), HS256 via jose.
 *
 * Two kinds, told apart by audience so one can never stand in for the other:
 *   - board tokens: `{ board, role, name, lv? }`, ~10 min, passed by the browser as `?token=`;
 *     `lv` is the version of the share link the token was minted from. A token without `lv`
 *     (from `npm run token`) is an operator token: it is not bound to a link, so rotating links
 *     does not revoke it; it still expires.
 *   - service tokens: ~1 min, sent by the web app's route handlers to the sync server's HTTP API.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { isBoardId } from '../board-id';

export const ROLES = ['editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const BOARD_TOKEN_TTL_SECONDS = 10 * 60;
export const SERVICE_TOKEN_TTL_SECONDS = 60;
const BOARD_AUDIENCE = 'commonboard:board';
const SERVICE_AUDIENCE = 'commonboard:sync-api';
const ISSUER = 'commonboard';
const MAX_NAME = 64;

export interface BoardClaims {
  board: string;
  role: Role;
  name: string;
  /** Share-link version the token came from; absent for operator tokens. */
  lv?: number;
}

const boardClaimsSchema = z.object({
  board: z.string().refine(isBoardId, 'not a board id'),
  role: z.enum(ROLES),
  name: z.string().max(MAX_NAME),
  lv: z.number().int().min(1).optional(),
  exp: z.number().int(),
});

export type VerifyResult =
  | { ok: true; claims: BoardClaims; expiresAt: number }
  | { ok: false; reason: 'missing' | 'expired' | 'invalid' };

export function isRole(value: unknown): value is Role {
  return value === 'editor' || value === 'viewer';
}

/** Mints a board token; returns it with its expiry (ms since epoch). */
export async function mintBoardToken(
  secret: Uint8Array,
  claims: BoardClaims,
  ttlSeconds: number = BOARD_TOKEN_TTL_SECONDS,
): Promise<{ token: string; expiresAt: number }> {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + ttlSeconds;
  const payload: Record<string, unknown> = { board: claims.board, role: claims.role, name: claims.name.slice(0, MAX_NAME) };
  if (claims.lv !== undefined) payload.lv = claims.lv;
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(BOARD_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .sign(secret);
  return { token, expiresAt: exp * 1000 };
}

/** Verifies signature, algorithm, audience, expiry and claim shapes. Never throws. */
export async function verifyBoardToken(secret: Uint8Array, token: string | null | undefined): Promise<VerifyResult> {
  if (!token) return { ok: false, reason: 'missing' };
  try {
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], audience: BOARD_AUDIENCE, issuer: ISSUER });
    const parsed = boardClaimsSchema.safeParse(payload);
    if (!parsed.success) return { ok: false, reason: 'invalid' };
    const { exp, ...claims } = parsed.data;
    return { ok: true, claims, expiresAt: exp * 1000 };
  } catch (err) {
    if (err instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    return { ok: false, reason: 'invalid' };
  }
}

export async function mintServiceToken(secret: Uint8Array, ttlSeconds: number = SERVICE_TOKEN_TTL_SECONDS): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(SERVICE_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(secret);
}

export async function verifyServiceToken(secret: Uint8Array, token: string | null | undefined): Promise<boolean> {
  if (!token) return false;
  try {
    await jwtVerify(token, secret, { algorithms: ['HS256'], audience: SERVICE_AUDIENCE, issuer: ISSUER });
    return true;
  } catch {
    return false;
  }
}
