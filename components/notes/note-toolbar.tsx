'use client';

/** The compact formatting bar above an open note: marks, blocks, lists, a safe link input, note colours. */
import { useEditorState, type Editor } from '@tiptap/react';
import { useState } from 'react';
import { isSafeHref } from '@/lib/notes/note-schema';
import { NOTE_COLORS, type NoteColorName } from './note-colors';

type Button = { id: string; label: string; title: string; run: (e: Editor) => void; active: (e: Editor) => boolean };

const BUTTONS: Button[] = [
  { id: 'bold', label: 'B', title: 'Bold (Ctrl+B)', run: (e) => e.chain().focus().toggleBold().run(), active: (e) => e.isActive('bold') },
  { id: 'italic', label: 'I', title: 'Italic (Ctrl+I)', run: (e) => e.chain().focus().toggleItalic().run(), active: (e) => e.isActive('italic') },
  { id: 'underline', label: 'U', title: 'Underline (Ctrl+U)', run: (e) => e.chain().focus().toggleUnderline().run(), active: (e) => e.isActive('underline') },
  { id: 'strike', label: 'S', title: 'Strikethrough', run: (e) => e.chain().focus().toggleStrike().run(), active: (e) => e.isActive('strike') },
  { id: 'code', label: '</>', title: 'Inline code', run: (e) => e.chain().focus().toggleCode().run(), active: (e) => e.isActive('code') },
  { id: 'h1', label: 'H1', title: 'Heading 1', run: (e) => e.chain().focus().toggleHeading({ level: 1 }).run(), active: (e) => e.isActive('heading', { level: 1 }) },
  { id: 'h2', label: 'H2', title: 'Heading 2', run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(), active: (e) => e.isActive('heading', { level: 2 }) },
  { id: 'bullet-list', label: '•', title: 'Bullet list', run: (e) => e.chain().focus().toggleBulletList().run(), active: (e) => e.isActive('bulletList') },
  { id: 'ordered-list', label: '1.', title: 'Numbered list', run: (e) => e.chain().focus().toggleOrderedList().run(), active: (e) => e.isActive('orderedList') },
  { id: 'task-list', label: '☑', title: 'Task list', run: (e) => e.chain().focus().toggleTaskList().run(), active: (e) => e.isActive('taskList') },
  { id: 'quote', label: '❝', title: 'Quote', run: (e) => e.chain().focus().toggleBlockquote().run(), active: (e) => e.isActive('blockquote') },
  { id: 'code-block', label: '{ }', title: 'Code block', run: (e) => e.chain().focus().toggleCodeBlock().run(), active: (e) => e.isActive('codeBlock') },
];

export function NoteToolbar({ editor, color, onColor }: { editor: Editor; color: string; onColor: (name: NoteColorName) => void }) {
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => Object.fromEntries([...BUTTONS.map((b) => [b.id, b.active(e)]), ['link', e.isActive('link')]]) as Record<string, boolean>,
  });
  const [link, setLink] = useState<string | null>(null);
  const linkValid = link !== null && isSafeHref(link.trim());

  const applyLink = () => {
    if (link === null) return;
    const href = link.trim();
    if (href === '') editor.chain().focus().extendMarkRange('link').unsetLink().run();
    else if (isSafeHref(href)) editor.chain().focus().extendMarkRange('link').setLink({ href }).run();
    else return; // refused: the input shows it is invalid
    setLink(null);
  };

  return (
    <div
      data-testid="note-toolbar"
      className="note-toolbar flex flex-nowrap items-center gap-0.5 rounded-lg border border-slate-200 bg-white p-1 shadow-md dark:border-slate-700 dark:bg-slate-800"
      // keep the editor's selection: toolbar clicks must not move focus
      onMouseDown={(e) => {
        if (!(e.target instanceof HTMLInputElement)) e.preventDefault();
      }}
    >
      {BUTTONS.map((b) => (
        <button
          key={b.id}
          type="button"
          data-testid={`note-${b.id}`}
          title={b.title}
          aria-label={b.title}
          aria-pressed={active?.[b.id] ?? false}
          onClick={() => b.run(editor)}
          className="note-toolbar__button"
        >
          {b.label}
        </button>
      ))}
      <button
        type="button"
        data-testid="note-link"
        title="Link"
        aria-label="Link"
        aria-pressed={active?.link ?? false}
        onClick={() => setLink(link === null ? ((editor.getAttributes('link').href as string | undefined) ?? 'https://') : null)}
        className="note-toolbar__button"
      >
        <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden>
          <path d="M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1" />
          <path d="M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1" />
        </svg>
      </button>
      {link !== null ? (
        <input
          data-testid="note-link-input"
          aria-label="Link address (http, https or mailto)"
          aria-invalid={!linkValid && link.trim() !== ''}
          autoFocus
          value={link}
          onChange={(e) => setLink(e.target.value)}
          onKeyDown={(e) => {
            e.stopPropagation();
            if (e.key === 'Enter') applyLink();
            if (e.key === 'Escape') setLink(null);
          }}
          className={`w-40 rounded border px-1 text-xs outline-none ${linkValid || link.trim() === '' ? 'border-slate-300' : 'border-red-400'}`}
        />
      ) : null}
      <span className="mx-1 h-4 w-px bg-slate-200" aria-hidden />
      {(Object.keys(NOTE_COLORS) as NoteColorName[]).map((name) => (
        <button
          key={name}
          type="button"
          data-testid={`note-color-${name}`}
          title={`${name} note`}
          aria-label={`${name} note`}
          aria-pressed={color.toLowerCase() === NOTE_COLORS[name]}
          onClick={() => onColor(name)}
          className="note-toolbar__swatch"
          style={{ backgroundColor: NOTE_COLORS[name] }}
        />
      ))}
    </div>
  );
}
