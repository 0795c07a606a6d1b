/**
 * What a note may contain: the node and mark names the Tiptap editor knows (StarterKit + task list),
 * and the attributes each may carry. Content from peers and imported files is untrusted: it is
 * checked against this list before it is rendered outside the editor (static preview, export) or
 * written into a note (import, paste). Inside the editor ProseMirror's schema check applies too.
 */

/** A plain-JSON note tree (lib/board/ops-notes.ts reads it from and writes it to a Y.XmlFragment). */
export type NoteMark = { type: string; attrs: Record<string, unknown> };
export type NoteText = { type: 'text'; text: string; marks: NoteMark[] };
export type NoteElement = { type: string; attrs: Record<string, unknown>; content: NoteNode[] };
export type NoteNode = NoteText | NoteElement;

export const NOTE_BLOCKS = [
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'taskList',
  'taskItem',
  'blockquote',
  'codeBlock',
  'hardBreak',
  'horizontalRule',
] as const;
export const NOTE_MARKS = ['bold', 'italic', 'underline', 'strike', 'code', 'link'] as const;

/** Links may only point to these (no javascript:, data:, vbscript:, file: …). */
export const SAFE_LINK_PROTOCOLS = ['http', 'https', 'mailto'] as const;

export const MAX_NOTE_NODES = 5_000;
export const MAX_NOTE_DEPTH = 12;
const MAX_HREF = 2_048;

export function isNoteText(node: NoteNode): node is NoteText {
  return node.type === 'text';
}

/** True for an absolute http(s)/mailto URL; everything else (relative, other schemes, control chars) is refused. */
export function isSafeHref(href: unknown): href is string {
  if (typeof href !== 'string' || href.length === 0 || href.length > MAX_HREF) return false;
  // browsers strip these before parsing the scheme: "java\tscript:" is javascript:
  if (/[\u0000-\u0020\u007f-\u009f]/.test(href)) return false;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  return (SAFE_LINK_PROTOCOLS as readonly string[]).includes(url.protocol.slice(0, -1));
}

function cleanAttrs(type: string, attrs: Record<string, unknown>): Record<string, unknown> | null {
  switch (type) {
    case 'heading': {
      const level = Number(attrs.level);
      return { level: Number.isInteger(level) && level >= 1 && level <= 3 ? level : 1 };
    }
    case 'orderedList': {
      const start = Number(attrs.start);
      return { start: Number.isInteger(start) && start >= 0 && start < 1e6 ? start : 1 };
    }
    case 'taskItem':
      return { checked: attrs.checked === true };
    case 'codeBlock':
      return { language: typeof attrs.language === 'string' && /^[A-Za-z0-9+#_-]{1,32}$/.test(attrs.language) ? attrs.language : null };
    case 'link':
      return isSafeHref(attrs.href) ? { href: attrs.href } : null;
    default:
      return {};
  }
}

/**
 * Keeps only known nodes, marks and attributes. An unknown element is replaced by its children (its
 * text survives, its tag does not); a link with an unsafe href loses the link mark.
 */
export function sanitizeNoteTree(nodes: readonly unknown[]): NoteNode[] {
  let budget = MAX_NOTE_NODES;
  const walk = (list: readonly unknown[], depth: number): NoteNode[] => {
    const out: NoteNode[] = [];
    for (const raw of list) {
      if (budget <= 0 || typeof raw !== 'object' || raw === null) continue;
      budget--;
      const node = raw as { type?: unknown; text?: unknown; marks?: unknown; attrs?: unknown; content?: unknown };
      if (node.type === 'text') {
        if (typeof node.text !== 'string' || node.text === '') continue;
        const marks: NoteMark[] = [];
        for (const m of Array.isArray(node.marks) ? node.marks : []) {
          const mark = m as { type?: unknown; attrs?: unknown };
          if (typeof mark?.type !== 'string' || !(NOTE_MARKS as readonly string[]).includes(mark.type)) continue;
          const attrs = cleanAttrs(mark.type, isRecord(mark.attrs) ? mark.attrs : {});
          if (attrs && !marks.some((x) => x.type === mark.type)) marks.push({ type: mark.type, attrs });
        }
        out.push({ type: 'text', text: node.text, marks });
        continue;
      }
      const children = Array.isArray(node.content) && depth < MAX_NOTE_DEPTH ? walk(node.content, depth + 1) : [];
      if (typeof node.type !== 'string' || !(NOTE_BLOCKS as readonly string[]).includes(node.type)) {
        out.push(...children);
        continue;
      }
      out.push({ type: node.type, attrs: cleanAttrs(node.type, isRecord(node.attrs) ? node.attrs : {}) ?? {}, content: children });
    }
    return out;
  };
  return walk(nodes, 0);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Plain text of a tree: one line per block. */
export function noteTreeText(nodes: readonly NoteNode[]): string {
  const lines: string[] = [];
  const inline = (n: NoteNode): string => (isNoteText(n) ? n.text : n.type === 'hardBreak' ? '\n' : n.content.map(inline).join(''));
  const block = (n: NoteNode) => {
    if (!isNoteText(n) && n.content.some((c) => !isNoteText(c) && c.type !== 'hardBreak')) n.content.forEach(block);
    else lines.push(inline(n));
  };
  nodes.forEach(block);
  return lines.join('\n');
}

const INLINE_PARENTS = new Set(['paragraph', 'heading', 'codeBlock']);
const LIST_ITEM: Record<string, string> = { bulletList: 'listItem', orderedList: 'listItem', taskList: 'taskItem' };
const paragraph = (content: NoteNode[]): NoteElement => ({ type: 'paragraph', attrs: {}, content });

/** The inline content of a node, however deep: what is left of a block where only text may go. */
function inlineOf(n: NoteNode): NoteNode[] {
  if (isNoteText(n) || n.type === 'hardBreak') return [n];
  return n.content.flatMap(inlineOf);
}

function fitInline(nodes: readonly NoteNode[], parent: string): NoteNode[] {
  const inline = nodes.flatMap(inlineOf);
  // a code block holds plain text: no marks, no breaks
  return parent === 'codeBlock' ? inline.flatMap((n) => (isNoteText(n) ? [{ ...n, marks: [] }] : [])) : inline;
}

/** Block content: runs of inline nodes go into paragraphs, stray list items give up their blocks. */
function fitBlocks(nodes: readonly NoteNode[]): NoteNode[] {
  const out: NoteNode[] = [];
  let run: NoteNode[] = [];
  const flush = () => {
    if (run.length > 0) out.push(paragraph(run));
    run = [];
  };
  for (const n of nodes) {
    if (isNoteText(n) || n.type === 'hardBreak') {
      run.push(n);
      continue;
    }
    flush();
    if (n.type === 'listItem' || n.type === 'taskItem') out.push(...fitBlocks(n.content));
    else out.push(fitElement(n));
  }
  flush();
  return out;
}

/** A list item's content: blocks, starting with a paragraph. */
function fitItem(type: string, attrs: Record<string, unknown>, content: readonly NoteNode[]): NoteElement {
  const blocks = fitBlocks(content);
  if (blocks.length === 0 || isNoteText(blocks[0]) || blocks[0].type !== 'paragraph') blocks.unshift(paragraph([]));
  return { type, attrs: type === 'taskItem' ? { checked: attrs.checked === true } : {}, content: blocks };
}

function fitElement(n: NoteElement): NoteElement {
  if (INLINE_PARENTS.has(n.type)) return { ...n, content: fitInline(n.content, n.type) };
  const item = LIST_ITEM[n.type];
  if (item) {
    const items = n.content.map((c) => (!isNoteText(c) && (c.type === 'listItem' || c.type === 'taskItem') ? fitItem(item, c.attrs, c.content) : fitItem(item, {}, [c])));
    return { ...n, content: items.length > 0 ? items : [fitItem(item, {}, [])] };
  }
  if (n.type === 'blockquote') {
    const blocks = fitBlocks(n.content);
    return { ...n, content: blocks.length > 0 ? blocks : [paragraph([])] };
  }
  return { ...n, content: [] }; // horizontalRule (hardBreak is inline and never gets here)
}

/**
 * Reshapes a sanitized tree to what the editor's schema accepts (a document of blocks; text only in
 * paragraphs, headings and code blocks; lists of items that start with a paragraph), so content
 * written from an import or a paste always opens in the editor. The sanitizer alone keeps the text
 * of an unwrapped tag where the tag was, which may be a bare text at the top of the note.
 */
export function fitNoteSchema(nodes: readonly NoteNode[]): NoteNode[] {
  return fitBlocks(nodes);
}
