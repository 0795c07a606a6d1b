/**
 * Carets inside notes travel in the awareness state under NOTE_CARET_FIELD, not y-prosemirror's
 * default `cursor` field: `cursor` is already the board pointer ({x, y}) of presence, and the two
 * shapes would clobber each other (y-prosemirror would even throw reading {x, y} as a position).
 * Remote values are untrusted: parseNoteCaret accepts only the {anchor, head} relative-position JSON.
 */
export const NOTE_CARET_FIELD = 'noteCaret';

export type RelativePositionJSON = { type?: IdJSON | null; tname?: string | null; item?: IdJSON | null; assoc?: number };
type IdJSON = { client: number; clock: number };
export type NoteCaret = { anchor: RelativePositionJSON; head: RelativePositionJSON };

const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function isId(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v !== 'object') return false;
  const { client, clock } = v as Record<string, unknown>;
  return isUint(client) && isUint(clock);
}

function isRelativePosition(v: unknown): v is RelativePositionJSON {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  if (!isId(r.type) || !isId(r.item)) return false;
  if (r.tname !== undefined && r.tname !== null && (typeof r.tname !== 'string' || r.tname.length > 64)) return false;
  if (r.assoc !== undefined && !(Number.isInteger(r.assoc) && Math.abs(r.assoc as number) <= 1)) return false;
  return r.item != null || r.type != null || typeof r.tname === 'string';
}

export function parseNoteCaret(raw: unknown): NoteCaret | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { anchor, head } = raw as Record<string, unknown>;
  return isRelativePosition(anchor) && isRelativePosition(head) ? { anchor, head } : null;
}

/**
 * The awareness state to publish when presence replaces the whole local state: presence owns every
 * field but the note caret, which is carried over so a pointer move does not hide the caret.
 */
export function withNoteCaret(previous: Record<string, unknown> | null, next: Record<string, unknown>): Record<string, unknown> {
  const caret = previous?.[NOTE_CARET_FIELD];
  return caret === undefined || caret === null ? next : { ...next, [NOTE_CARET_FIELD]: caret };
}
