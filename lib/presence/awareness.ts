/**
 * The awareness state each client publishes. Remote states are untrusted input: parsePresence
 * validates them and returns null for anything malformed (that peer is simply not drawn).
 */
import { cleanName, type PresenceUser } from './user';

export type Cursor = { x: number; y: number };
export type PresenceState = { user: PresenceUser; cursor: Cursor | null };

const COLOR = /^#[0-9a-fA-F]{6}$/;
const MAX_COORD = 1e7;

function parseCursor(raw: unknown): Cursor | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { x, y } = raw as Record<string, unknown>;
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_COORD;
  return ok(x) && ok(y) ? { x, y } : null;
}

export function parsePresence(raw: unknown): PresenceState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { user, cursor } = raw as Record<string, unknown>;
  if (typeof user !== 'object' || user === null) return null;
  const { name, color } = user as Record<string, unknown>;
  const clean = cleanName(name);
  if (!clean || typeof color !== 'string' || !COLOR.test(color)) return null;
  return { user: { name: clean, color }, cursor: parseCursor(cursor) };
}
