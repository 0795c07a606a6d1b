import { describe, expect, it } from 'vitest';
import { NOTE_CARET_FIELD, parseNoteCaret, withNoteCaret } from './note-caret';

describe('note caret awareness field', () => {
  it('accepts y-prosemirror relative positions only', () => {
    const pos = { type: { client: 1, clock: 4 }, tname: null, item: { client: 2, clock: 9 }, assoc: 0 };
    expect(parseNoteCaret({ anchor: pos, head: pos })).toEqual({ anchor: pos, head: pos });
    for (const bad of [null, 1, { x: 1, y: 2 }, { anchor: pos }, { anchor: pos, head: null }, { anchor: {}, head: pos }, { anchor: { item: { client: -1, clock: 0 } }, head: pos }, { anchor: { item: { client: 1, clock: 1 }, assoc: 7 }, head: pos }]) {
      expect(parseNoteCaret(bad)).toBeNull();
    }
  });

  it('keeps the caret when presence republishes its state', () => {
    const caret = { anchor: {}, head: {} };
    expect(withNoteCaret({ user: 1, [NOTE_CARET_FIELD]: caret }, { user: 2 })).toEqual({ user: 2, [NOTE_CARET_FIELD]: caret });
    expect(withNoteCaret({ user: 1, [NOTE_CARET_FIELD]: null }, { user: 2 })).toEqual({ user: 2 });
    expect(withNoteCaret(null, { user: 2 })).toEqual({ user: 2 });
  });
});
