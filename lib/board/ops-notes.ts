/**
 * Notes' rich content as plain JSON trees (lib/notes/note-schema.ts): read for previews, export and
 * the test API; written for import and paste. The Y.XmlFragment layout is y-prosemirror's: an
 * element per ProseMirror node (attributes = node attrs), Y.XmlText for runs of text with marks as
 * formatting attributes ({ bold: {}, link: { href } }); overlapping marks of one type get a
 * `name--hash` key, which is why the suffix is cut off when reading.
 */
import * as Y from 'yjs';
import { fitNoteSchema, sanitizeNoteTree, type NoteMark, type NoteNode } from '../notes/note-schema';
import { LOCAL, type Board, type Origin } from './board';
import { getNoteFragment } from './ops';
import type { ShapeId } from './schema';

function readText(text: Y.XmlText): NoteNode[] {
  const out: NoteNode[] = [];
  for (const d of text.toDelta() as { insert?: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof d.insert !== 'string') continue; // embeds are not part of the note schema
    const marks: NoteMark[] = Object.entries(d.attributes ?? {}).map(([key, value]) => ({
      type: key.split('--')[0],
      attrs: typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {},
    }));
    out.push({ type: 'text', text: d.insert, marks });
  }
  return out;
}

function readChildren(parent: Y.XmlFragment | Y.XmlElement): NoteNode[] {
  const out: NoteNode[] = [];
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) out.push(...readText(child));
    else if (child instanceof Y.XmlElement) {
      out.push({ type: child.nodeName, attrs: { ...child.getAttributes() }, content: readChildren(child) });
    }
  }
  return out;
}

/** The note's content, sanitized (unknown nodes unwrapped, unsafe links dropped); null if not a note. */
export function getNoteTree(board: Board, id: ShapeId | string): NoteNode[] | null {
  const fragment = getNoteFragment(board, id);
  return fragment ? sanitizeNoteTree(readChildren(fragment)) : null;
}

/** The raw, unsanitized tree (tests of the sanitizer; never render it). */
export function getRawNoteTree(board: Board, id: ShapeId | string): NoteNode[] | null {
  const fragment = getNoteFragment(board, id);
  return fragment ? readChildren(fragment) : null;
}

function build(nodes: readonly NoteNode[]): (Y.XmlElement | Y.XmlText)[] {
  const out: (Y.XmlElement | Y.XmlText)[] = [];
  let run: Y.XmlText | null = null;
  let offset = 0; // a prelim XmlText reports length 0 until integrated, so offsets are kept here
  for (const node of nodes) {
    if (node.type === 'text' && 'text' in node) {
      if (!run) {
        run = new Y.XmlText();
        offset = 0;
        out.push(run);
      }
      const attrs: Record<string, unknown> = {};
      for (const m of node.marks) attrs[m.type] = m.attrs;
      run.insert(offset, node.text, attrs);
      offset += node.text.length;
      continue;
    }
    run = null;
    if (!('content' in node)) continue;
    const el = new Y.XmlElement(node.type);
    for (const [k, v] of Object.entries(node.attrs)) if (v !== null && v !== undefined) el.setAttribute(k, v as string);
    el.insert(0, build(node.content));
    out.push(el);
  }
  return out;
}

/**
 * Replaces a note's content with a tree (sanitized first: imports and pastes are untrusted).
 * Returns false if the id is not a note.
 */
export function setNoteTree(board: Board, id: ShapeId | string, nodes: readonly unknown[], origin: Origin = LOCAL): boolean {
  const fragment = getNoteFragment(board, id);
  if (!fragment) return false;
  const clean = fitNoteSchema(sanitizeNoteTree(nodes)); // and shaped so the editor can open it
  board.doc.transact(() => {
    if (fragment.length > 0) fragment.delete(0, fragment.length);
    fragment.insert(0, build(clean));
  }, origin);
  return true;
}
