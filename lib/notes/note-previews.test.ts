import { describe, expect, it } from 'vitest';
import { MAX_PREVIEWS, MIN_PREVIEW_FONT_PX, pickPreviews, type PreviewCandidate } from './note-previews';

const note = (id: string, x: number, y = 0, fontSize = 16): PreviewCandidate => ({ id, type: 'note', fontSize, bounds: { x, y, w: 100, h: 100 } });
const rect = (id: string, x: number, y = 0): PreviewCandidate => ({ id, type: 'rect', fontSize: 16, bounds: { x, y, w: 50, h: 50 } });

describe('pickPreviews', () => {
  it('previews readable notes that nothing above overlaps', () => {
    expect(pickPreviews([note('a', 0), note('b', 200), rect('r', 400)], 1, null)).toEqual(['a', 'b']);
  });

  it('leaves a note to the canvas when a shape above overlaps it, but not when the shape is below', () => {
    expect(pickPreviews([note('a', 0), rect('r', 80)], 1, null)).toEqual([]);
    expect(pickPreviews([rect('r', 80), note('a', 0)], 1, null)).toEqual(['a']);
    // stacked notes: only the top one
    expect(pickPreviews([note('a', 0), note('b', 50)], 1, null)).toEqual(['b']);
  });

  it('skips the note being edited, unreadable zooms and crowds', () => {
    expect(pickPreviews([note('a', 0), note('b', 200)], 1, 'a')).toEqual(['b']);
    expect(pickPreviews([note('a', 0)], (MIN_PREVIEW_FONT_PX - 1) / 16, null)).toEqual([]);
    const many = Array.from({ length: MAX_PREVIEWS + 1 }, (_, i) => note(`n${i}`, i * 200));
    expect(pickPreviews(many, 1, null)).toEqual([]);
    expect(pickPreviews(many.slice(0, MAX_PREVIEWS), 1, null)).toHaveLength(MAX_PREVIEWS);
  });
});
