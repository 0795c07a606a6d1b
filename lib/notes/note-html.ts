/**
 * Static HTML of a note (export, the test API, previews outside the editor). Built from a sanitized
 * tree with every text and attribute escaped, so peer content can never inject markup or script.
 */
import { isNoteText, sanitizeNoteTree, type NoteNode } from './note-schema';

const BLOCK_TAGS: Record<string, string> = {
  paragraph: 'p',
  bulletList: 'ul',
  orderedList: 'ol',
  listItem: 'li',
  taskList: 'ul data-type="taskList"',
  blockquote: 'blockquote',
  hardBreak: 'br',
  horizontalRule: 'hr',
};
const MARK_TAGS: Record<string, string> = { bold: 'strong', italic: 'em', underline: 'u', strike: 's', code: 'code' };

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function textHtml(node: Extract<NoteNode, { type: 'text' }>): string {
  let html = escapeHtml(node.text);
  for (const mark of node.marks) {
    if (mark.type === 'link') {
      html = `<a href="${escapeHtml(String(mark.attrs.href))}" rel="noopener noreferrer nofollow" target="_blank">${html}</a>`;
    } else if (MARK_TAGS[mark.type]) html = `<${MARK_TAGS[mark.type]}>${html}</${MARK_TAGS[mark.type]}>`;
  }
  return html;
}

function nodeHtml(node: NoteNode): string {
  if (isNoteText(node)) return textHtml(node);
  const inner = node.content.map(nodeHtml).join('');
  switch (node.type) {
    case 'heading':
      return `<h${node.attrs.level}>${inner}</h${node.attrs.level}>`;
    case 'codeBlock':
      return `<pre><code>${inner}</code></pre>`;
    case 'taskItem':
      return `<li data-type="taskItem" data-checked="${node.attrs.checked === true}"><input type="checkbox" disabled${node.attrs.checked === true ? ' checked' : ''}> ${inner}</li>`;
    case 'orderedList':
      return node.attrs.start !== 1 ? `<ol start="${Number(node.attrs.start)}">${inner}</ol>` : `<ol>${inner}</ol>`;
    case 'hardBreak':
      return '<br>';
    case 'horizontalRule':
      return '<hr>';
    default: {
      const open = BLOCK_TAGS[node.type] ?? 'div';
      const tag = open.split(' ')[0];
      return `<${open}>${inner}</${tag}>`;
    }
  }
}

/** Sanitizes (again: callers may pass raw peer data) and serialises a note tree. */
export function noteTreeToHtml(nodes: readonly unknown[]): string {
  return sanitizeNoteTree(nodes).map(nodeHtml).join('');
}
