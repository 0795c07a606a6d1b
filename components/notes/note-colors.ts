/** The sticky-note palette offered in the note toolbar (any valid hex colour from a peer still renders). */
export const NOTE_COLORS = {
  yellow: '#fde68a',
  orange: '#fed7aa',
  pink: '#fbcfe8',
  purple: '#ddd6fe',
  blue: '#bfdbfe',
  green: '#bbf7d0',
  gray: '#e5e7eb',
} as const;

export type NoteColorName = keyof typeof NOTE_COLORS;
