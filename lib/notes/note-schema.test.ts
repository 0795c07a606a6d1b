import { describe, expect, it } from 'vitest';
import { fitNoteSchema, sanitizeNoteTree, type NoteNode } from './note-schema';

const text = (t: string, marks: { type: string; attrs: Record<string, unknown> }[] = []): NoteNode => ({ type: 'text', text: t, marks });
const el = (type: string, content: NoteNode[], attrs: Record<string, unknown> = {}): NoteNode => ({ type, attrs, content });

describe('fitNoteSchema (imported and pasted trees must open in the editor)', () => {
  it('wraps bare text where blocks belong and keeps well-formed trees as they are', () => {
    const fine = [el('paragraph', [text('a', [{ type: 'bold', attrs: {} }])]), el('bulletList', [el('listItem', [el('paragraph', [text('b')])])])];
    expect(fitNoteSchema(fine)).toEqual(fine);
    // an unwrapped <script> leaves its text at the top of the note
    const unwrapped = sanitizeNoteTree([{ type: 'script', content: [{ type: 'text', text: 'x' }] }, { type: 'hardBreak' }, { type: 'horizontalRule' }]);
    expect(fitNoteSchema(unwrapped)).toEqual([el('paragraph', [text('x'), el('hardBreak', [])]), el('horizontalRule', [])]);
  });

  it('puts list content into items that start with a paragraph', () => {
    expect(fitNoteSchema([el('bulletList', [el('paragraph', [text('a')]), text('b'), el('listItem', [el('bulletList', [])])])])).toEqual([
      el('bulletList', [
        el('listItem', [el('paragraph', [text('a')])]),
        el('listItem', [el('paragraph', [text('b')])]),
        el('listItem', [el('paragraph', []), el('bulletList', [el('listItem', [el('paragraph', [])])])]),
      ]),
    ]);
    expect(fitNoteSchema([el('taskList', [el('listItem', [el('paragraph', [text('t')])])])])).toEqual([
      el('taskList', [el('taskItem', [el('paragraph', [text('t')])], { checked: false })]),
    ]);
  });

  it('flattens blocks inside text blocks, strips marks in code, fills empty quotes, unwraps stray items', () => {
    expect(fitNoteSchema([el('paragraph', [el('heading', [text('h')], { level: 1 }), text('p')])])).toEqual([el('paragraph', [text('h'), text('p')])]);
    expect(fitNoteSchema([el('codeBlock', [text('c', [{ type: 'bold', attrs: {} }]), el('hardBreak', [])], { language: null })])).toEqual([
      el('codeBlock', [text('c')], { language: null }),
    ]);
    expect(fitNoteSchema([el('blockquote', [])])).toEqual([el('blockquote', [el('paragraph', [])])]);
    expect(fitNoteSchema([el('listItem', [el('paragraph', [text('i')])])])).toEqual([el('paragraph', [text('i')])]);
  });
});
