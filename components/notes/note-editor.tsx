'use client';

/**
 * The rich-text editor of one open note, laid over the note's card on the canvas and scaled with
 * the camera. Tiptap binds to the note's Y.XmlFragment (Collaboration), so concurrent typing merges
 * character by character; carets of others inside this note come from awareness (CollaborationCaret
 * through caretAwareness). Loaded lazily (next/dynamic in note-layer.tsx): boards without an open
 * note never download Tiptap.
 *
 * Undo: Collaboration's own Y.UndoManager covers this fragment and only this client's edits
 * (ySyncPlugin's origin), so inside the editor ctrl+z undoes my typing and never a peer's; the board
 * history (lib/board/undo.ts) tracks LOCAL transactions only and never sees typing. See ARCHITECTURE.md.
 */
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useMemo, useRef } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import { getNoteFragment, type Board, type NoteShape } from '@/lib/board';
import { isSafeHref } from '@/lib/notes/note-schema';
import { boardToScreen } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import { setShapeColor } from '../editor/commands';
import { useEditorStore } from '../editor/editor-store';
import { caretAwareness } from './note-caret-awareness';
import { NOTE_COLORS } from './note-colors';
import { NoteToolbar } from './note-toolbar';
import { useNoteAutoGrow } from './use-note-autogrow';

export type NoteEditorProps = {
  board: Board;
  note: NoteShape;
  provider: WebsocketProvider;
  user: { name: string; color: string };
  onClose: () => void;
};

export default function NoteEditor({ board, note, provider, user, onClose }: NoteEditorProps) {
  const camera = useUiStore((s) => s.camera);
  const wrapper = useRef<HTMLDivElement>(null);
  const fragment = useMemo(() => getNoteFragment(board, note.id), [board, note.id]);
  const caretProvider = useMemo(() => ({ awareness: caretAwareness(provider.awareness) }), [provider]);

  const editor = useEditor(
    {
      immediatelyRender: false, // SSR: the editor needs the DOM
      autofocus: 'end',
      extensions: [
        StarterKit.configure({
          undoRedo: false, // Collaboration brings the Y.UndoManager
          trailingNode: false, // each client would append its own empty paragraph to the shared doc
          heading: { levels: [1, 2, 3] },
          link: {
            openOnClick: false,
            autolink: true,
            defaultProtocol: 'https',
            protocols: [],
            isAllowedUri: (url) => isSafeHref(url),
            HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
          },
        }),
        TaskList,
        TaskItem.configure({ nested: true }),
        Collaboration.configure({ fragment }),
        CollaborationCaret.configure({ provider: caretProvider, user }),
      ],
      editorProps: {
        attributes: { 'data-testid': 'note-editor', class: 'note-content note-content--editing', spellcheck: 'false' },
        handleKeyDown: (_view, event) => {
          if (event.key !== 'Escape') return false;
          onClose();
          return true;
        },
      },
    },
    [fragment, caretProvider],
  );

  const pad = Math.min(16, note.w / 8);
  useNoteAutoGrow(board, note, editor, pad);

  // close on a pointer press anywhere outside the editor and its toolbar
  useEffect(() => {
    const onDown = (e: PointerEvent) => {
      if (wrapper.current && e.target instanceof Node && !wrapper.current.contains(e.target)) onClose();
    };
    window.addEventListener('pointerdown', onDown, true);
    return () => window.removeEventListener('pointerdown', onDown, true);
  }, [onClose]);

  if (!fragment) return null;
  const tl = boardToScreen(camera, note);
  return (
    <div
      ref={wrapper}
      data-testid="note-overlay"
      data-note={note.id}
      className="absolute z-20"
      style={{ left: tl.x, top: tl.y, width: note.w * camera.zoom, height: note.h * camera.zoom, transform: `rotate(${note.rotation}rad)` }}
      // board shortcuts (delete, tools, undo) must not act while the note has focus
      onKeyDown={(e) => e.stopPropagation()}
      onWheel={(e) => e.stopPropagation()}
    >
      {editor ? (
        // below the note: the selection's action bar sits above it
        <div className="absolute left-0 top-full mt-2 w-max">
          <NoteToolbar
            editor={editor}
            color={note.color}
            onColor={(name) => {
              const boardEditor = useEditorStore.getState().editor; // the board's, not Tiptap's
              if (boardEditor) setShapeColor(boardEditor, note.id, NOTE_COLORS[name]);
            }}
          />
        </div>
      ) : null}
      <div
        className="note-card note-card--open"
        style={{
          width: note.w,
          // a fixed height (not auto) keeps Chrome's ctrl+Home / ctrl+End working; auto-grow follows the content
          height: note.h,
          transform: `scale(${camera.zoom})`,
          backgroundColor: note.color,
          padding: pad,
          fontSize: note.style.fontSize,
        }}
      >
        <EditorContent editor={editor} className="h-full" />
      </div>
    </div>
  );
}
