/**
 * Which notes get a rich static preview (HTML from their Y.XmlFragment laid over the canvas card)
 * and which stay canvas-painted plain text. A preview is a DOM node above the canvas, so it is only
 * used where that cannot get the z-order wrong: for a note that no shape above it overlaps. It is
 * also skipped where text is unreadable anyway, and past a count where DOM nodes start to cost more
 * than they show.
 */
import type { Box } from '@/lib/geometry/box';

/** On-screen font size (CSS px) from which a note's formatting is worth showing. */
export const MIN_PREVIEW_FONT_PX = 7;
/** At most this many previews at once; more visible notes than this all stay canvas-painted. */
export const MAX_PREVIEWS = 120;
/** Above this many visible shapes the overlap check is skipped along with the previews. */
const MAX_CHECKED = 400;

export type PreviewCandidate = { id: string; type: string; fontSize: number; bounds: Box };

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Ids of the notes to preview among `visible` (bottom to top), at `zoom`, never the one being edited here. */
export function pickPreviews(visible: readonly PreviewCandidate[], zoom: number, editing: string | null): string[] {
  if (visible.length > MAX_CHECKED) return [];
  const out: string[] = [];
  for (let i = 0; i < visible.length; i++) {
    const s = visible[i];
    if (s.type !== 'note' || s.id === editing || s.fontSize * zoom < MIN_PREVIEW_FONT_PX) continue;
    let covered = false;
    for (let j = i + 1; j < visible.length && !covered; j++) covered = overlaps(s.bounds, visible[j].bounds);
    if (covered) continue;
    if (out.length === MAX_PREVIEWS) return [];
    out.push(s.id);
  }
  return out;
}
