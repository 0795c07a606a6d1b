import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { noteTreeText } from '../notes/note-schema';
import { addShape, deleteShapes, duplicateShapes, getNoteFragment } from './ops';
import { getNoteTree, getRawNoteTree, setNoteTree } from './ops-notes';
import { getShape } from './read';
import { makePeers, syncAll } from './test-helpers';
import { createHistory } from './undo';

const note = { type: 'note' as const, x: 0, y: 0, w: 200, h: 200, createdBy: 'Alice' };

const rich = [
  { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Plan', marks: [] }] },
  {
    type: 'paragraph',
    attrs: {},
    content: [
      { type: 'text', text: 'bold ', marks: [{ type: 'bold', attrs: {} }] },
      { type: 'text', text: 'site', marks: [{ type: 'link', attrs: { href: 'https://example.com' } }] },
    ],
  },
  {
    type: 'taskList',
    attrs: {},
    content: [{ type: 'taskItem', attrs: { checked: true }, content: [{ type: 'paragraph', attrs: {}, content: [{ type: 'text', text: 'done', marks: [] }] }] }],
  },
];

describe('note content ops', () => {
  it('setNoteTree writes a rich tree that every peer reads back identically', () => {
    const [a, b] = makePeers(2);
    const id = addShape(a, note);
    expect(setNoteTree(a, id, rich)).toBe(true);
    syncAll([a, b]);
    const tree = getNoteTree(b, id);
    expect(tree).toEqual(getNoteTree(a, id));
    expect(noteTreeText(tree!)).toBe('Plan\nbold site\ndone');
    expect(tree![1]).toMatchObject({ content: [{ marks: [{ type: 'bold' }] }, { marks: [{ type: 'link', attrs: { href: 'https://example.com' } }] }] });
    expect(getShape(b, id)).toMatchObject({ type: 'note', text: 'Plan\nbold site\ndone' });
  });

  it('concurrent typing into one paragraph merges both inputs', () => {
    const [a, b] = makePeers(2);
    const id = addShape(a, { ...note, text: 'hello' });
    syncAll([a, b]);
    const textOf = (board: typeof a) => (getNoteFragment(board, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    textOf(a).insert(5, ' from A');
    textOf(b).insert(0, 'B says ');
    syncAll([a, b]);
    expect(getShape(a, id)).toMatchObject({ text: 'B says hello from A' });
    expect(getShape(b, id)).toMatchObject({ text: 'B says hello from A' });
  });

  it('peer content is sanitized on read: unknown tags unwrapped, javascript: links and handler attributes dropped', () => {
    const [a, b] = makePeers(2);
    const id = addShape(a, note);
    a.doc.transact(() => {
      const frag = getNoteFragment(a, id)!;
      const script = new Y.XmlElement('script');
      script.insert(0, [new Y.XmlText('alert(1)')]);
      const img = new Y.XmlElement('img');
      img.setAttribute('onerror', 'alert(2)');
      const p = new Y.XmlElement('paragraph');
      p.setAttribute('onclick', 'alert(3)');
      const t = new Y.XmlText();
      p.insert(0, [t]);
      frag.insert(0, [script, img, p]);
      t.insert(0, 'click', { link: { href: 'javascript:alert(4)' } });
      t.insert(5, ' me', { link: { href: 'java\tscript:alert(5)' }, bold: {} });
    }, 'peer');
    syncAll([a, b]);
    expect(getRawNoteTree(b, id)![0]).toMatchObject({ type: 'script' });
    const tree = getNoteTree(b, id)!;
    expect(JSON.stringify(tree)).not.toMatch(/javascript|onerror|onclick|script|img/i);
    expect(tree).toEqual([
      { type: 'text', text: 'alert(1)', marks: [] },
      { type: 'paragraph', attrs: {}, content: [{ type: 'text', text: 'click', marks: [] }, { type: 'text', text: ' me', marks: [{ type: 'bold', attrs: {} }] }] },
    ]);
  });

  it('setNoteTree sanitizes imported content before writing it', () => {
    const [a] = makePeers(1);
    const id = addShape(a, note);
    setNoteTree(a, id, [{ type: 'paragraph', attrs: { style: 'x' }, content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'data:text/html,<script>' } }] }] }]);
    expect(getRawNoteTree(a, id)).toEqual([{ type: 'paragraph', attrs: {}, content: [{ type: 'text', text: 'x', marks: [] }] }]);
    expect(setNoteTree(a, 'missing', [])).toBe(false);
  });

  it('duplicate copies the rich content; deleting a note and undoing restores its text', () => {
    const [a, b] = makePeers(2);
    const id = addShape(a, note);
    setNoteTree(a, id, rich);
    const [copy] = duplicateShapes(a, [id], { x: 10, y: 10 });
    expect(getNoteTree(a, copy)).toEqual(getNoteTree(a, id));
    const history = createHistory(a);
    deleteShapes(a, [id]);
    syncAll([a, b]);
    expect(getShape(b, id)).toBeNull();
    history.undo();
    syncAll([a, b]);
    expect(getShape(b, id)).toMatchObject({ type: 'note', text: 'Plan\nbold site\ndone' });
    expect(getNoteTree(b, id)).toEqual(getNoteTree(a, copy));
    history.destroy();
  });
});
