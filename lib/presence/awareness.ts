/**
 * The awareness state each client publishes (y-protocols resends the whole JSON on every change, so
 * it is kept small: numbers rounded, optional fields omitted when off). Remote states are untrusted
 * input: parsePresence validates them and returns null for anything malformed (that peer is simply
 * not drawn); a malformed optional field is dropped, the rest of the state is kept.
 *
 * Wire shape: { user: {name, color}, cursor: {x,y} | null, view?: {x,y,w,h}, sel?: string[],
 *               act?: 'idle' | 'away', spot?: true, laser?: true, note?: string }
 * cursor and view are board coordinates; view is the visible board rectangle (top-left, size);
 * note is the id of the note whose editor the user has open (others mark that note on the canvas).
 */
import { cleanName, type PresenceUser } from './user';

export type Cursor = { x: number; y: number };
export type Viewport = { x: number; y: number; w: number; h: number };
export type Activity = 'active' | 'idle' | 'away';

export type PresenceState = {
  user: PresenceUser;
  cursor: Cursor | null;
  view: Viewport | null;
  /** Selected shape ids, at most MAX_SELECTION of them. */
  sel: string[];
  act: Activity;
  /** The user asks everyone to follow them. */
  spot: boolean;
  /** The cursor is a laser pointer (receivers draw a fading trail). */
  laser: boolean;
  /** The note this user is editing (absent when none). */
  note?: string;
};

/** Larger selections are announced partially: the server refuses awareness states over 4 KB. */
export const MAX_SELECTION = 50;

const COLOR = /^#[0-9a-fA-F]{6}$/;
const SHAPE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_COORD = 1e7;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_COORD;

function parseCursor(raw: unknown): Cursor | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { x, y } = raw as Record<string, unknown>;
  return finite(x) && finite(y) ? { x, y } : null;
}

function parseView(raw: unknown): Viewport | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { x, y, w, h } = raw as Record<string, unknown>;
  if (!finite(x) || !finite(y) || !finite(w) || !finite(h) || w <= 0 || h <= 0) return null;
  return { x, y, w, h };
}

function parseSelection(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return raw.slice(0, MAX_SELECTION).filter((id): id is string => typeof id === 'string' && SHAPE_ID.test(id));
}

export function parsePresence(raw: unknown): PresenceState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.user !== 'object' || r.user === null) return null;
  const { name, color } = r.user as Record<string, unknown>;
  const clean = cleanName(name);
  if (!clean || typeof color !== 'string' || !COLOR.test(color)) return null;
  return {
    user: { name: clean, color },
    cursor: parseCursor(r.cursor),
    view: parseView(r.view),
    sel: parseSelection(r.sel),
    act: r.act === 'idle' || r.act === 'away' ? r.act : 'active',
    spot: r.spot === true,
    laser: r.laser === true,
    ...(typeof r.note === 'string' && SHAPE_ID.test(r.note) ? { note: r.note } : {}),
  };
}

/** Rounds a board coordinate for the wire: finer than a screen pixel up to zoom 10, short in JSON. */
export function roundCoord(v: number): number {
  return Math.round(v * 10) / 10;
}

/** The compact JSON published for a local state (defaults omitted). */
export function encodePresence(s: PresenceState): Record<string, unknown> {
  const out: Record<string, unknown> = {
    user: s.user,
    cursor: s.cursor ? { x: roundCoord(s.cursor.x), y: roundCoord(s.cursor.y) } : null,
  };
  if (s.view) out.view = { x: roundCoord(s.view.x), y: roundCoord(s.view.y), w: roundCoord(s.view.w), h: roundCoord(s.view.h) };
  if (s.sel.length > 0) out.sel = s.sel.slice(0, MAX_SELECTION);
  if (s.act !== 'active') out.act = s.act;
  if (s.spot) out.spot = true;
  if (s.laser) out.laser = true;
  if (s.note) out.note = s.note;
  return out;
}
