/** Local user identity for presence: a display name (URL param, localStorage or random) and a colour. */
export type PresenceUser = { name: string; color: string };

export const USER_KEY = 'commonboard:user';
const MAX_NAME = 32;

const ADJECTIVES = ['Brave', 'Calm', 'Clever', 'Eager', 'Gentle', 'Happy', 'Jolly', 'Kind', 'Lucky', 'Swift', 'Witty', 'Bright'];
const ANIMALS = ['Otter', 'Falcon', 'Panda', 'Fox', 'Heron', 'Lynx', 'Koala', 'Badger', 'Orca', 'Robin', 'Gecko', 'Moose'];

/** Colours readable on white with a white label on top. */
export const USER_COLORS = ['#e03131', '#c2255c', '#9c36b5', '#6741d9', '#3b5bdb', '#1971c2', '#0c8599', '#099268', '#2f9e44', '#e8590c'];

/** Trims and bounds a name; returns null if nothing printable is left. */
export function cleanName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  // strip control characters: the name is shown to other users
  const name = raw.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_NAME);
  return name.length > 0 ? name : null;
}

export function randomName(random: () => number = Math.random): string {
  const pick = (list: string[]) => list[Math.floor(random() * list.length)];
  return `${pick(ADJECTIVES)} ${pick(ANIMALS)}`;
}

/** Stable colour per name (FNV-1a hash), so a user keeps their colour across reloads and peers agree. */
export function colorForName(name: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return USER_COLORS[(h >>> 0) % USER_COLORS.length];
}
