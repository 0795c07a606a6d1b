'use client';

/**
 * Shows the note editor for the note the editor has open (Editor.getEditing, one owner for text and
 * notes). A note opens on double click (the editor's tools), on Enter while it is the only
 * selected shape, and right after the note tool created it; Escape or a click outside closes it.
 * Only one editor is ever mounted: every other note is painted by the canvas renderer, or shown
 * as a static HTML preview at a readable zoom (note-previews.tsx), which keeps a board of hundreds
 * of notes as cheap as other shapes.
 */
import dynamic from 'next/dynamic';
import { useCallback, useEffect } from 'react';
import type { Board, ShapeId } from '@/lib/board';
import { useUiStore } from '@/lib/ui/ui-store';
import { getProvider, updateLocalPresence, useBoardSession } from '../session/board-session';
import { NoteEditorBoundary } from './note-editor-boundary';
import { editingNote, useEditorStore } from '../editor/editor-store';
import { useNoteShape } from './use-note-shape';

const NoteEditor = dynamic(() => import('./note-editor'), { ssr: false });

function isEditableTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

const open = (id: ShapeId) => useEditorStore.getState().editor?.startEditing('note', id);

function singleSelectedNote(board: Board): ShapeId | null {
  const { selection } = useUiStore.getState();
  if (selection.length !== 1) return null;
  const y = board.shapes.get(selection[0]);
  return y?.get('type') === 'note' && y.get('locked') !== true ? selection[0] : null;
}

export function NoteLayer() {
  const board = useBoardSession((s) => s.board);
  const user = useBoardSession((s) => s.user);
  const mayEdit = useBoardSession((s) => s.role === 'editor' && s.status !== 'refused');
  // not while the canvas shows a version of the board (components/history): its notes are read-only
  const onCanvas = useEditorStore((s) => s.editor?.board === board);
  const editable = mayEdit && onCanvas;
  const editing = useEditorStore(editingNote);
  const note = useNoteShape(board, editing);
  const close = useCallback(() => {
    const { editor, editing: now } = useEditorStore.getState();
    if (now?.kind === 'note') editor?.stopEditing();
  }, []);

  useEffect(() => {
    if (!board || !editable) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Enter' || e.ctrlKey || e.metaKey || e.altKey || isEditableTarget(e.target) || useEditorStore.getState().editing) return;
      const id = singleSelectedNote(board);
      if (!id) return;
      e.preventDefault();
      open(id);
    };
    // the note tool selects the note it made, then switches back to select: open that note
    let created: ShapeId | null = null;
    const stopUi = useUiStore.subscribe((s, prev) => {
      if (s.selection !== prev.selection) created = s.tool === 'note' ? singleSelectedNote(board) : null;
      if (s.tool !== prev.tool && prev.tool === 'note' && created && s.selection.length === 1 && s.selection[0] === created) {
        open(created);
      }
      if (s.tool !== prev.tool) created = null;
    });
    window.addEventListener('keydown', onKeyDown);
    return () => {
      stopUi();
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [board, editable]);

  // Load the editor's chunk before the first note opens: on a slow machine it arrived seconds late.
  useEffect(() => {
    if (editable) void import('./note-editor');
  }, [editable]);

  // Until its chunk has loaded and it mounted, the editor cannot see Escape or a press outside it:
  // without this, a note the user already dismissed would open late and take the keyboard.
  useEffect(() => {
    if (!editing) return;
    const mounted = () => document.querySelector(`[data-testid="note-overlay"][data-note="${CSS.escape(editing)}"]`) !== null;
    const dismiss = (e: Event) => {
      if (mounted()) return; // the editor handles both itself
      if (e instanceof KeyboardEvent && e.key !== 'Escape') return;
      close();
    };
    window.addEventListener('keydown', dismiss, true);
    window.addEventListener('pointerdown', dismiss, true);
    return () => {
      window.removeEventListener('keydown', dismiss, true);
      window.removeEventListener('pointerdown', dismiss, true);
    };
  }, [editing, close]);

  // others mark the note we type in on their canvas (components/presence/remote-selections.tsx)
  useEffect(() => {
    updateLocalPresence({ note: editing ?? undefined });
  }, [editing]);

  // a peer deleted the note, or we lost edit rights: close
  useEffect(() => {
    if (editing && (!note || !editable)) close();
  }, [editing, note, editable, close]);

  const provider = getProvider();
  if (!board || !note || !provider || !editable) return null;
  return (
    <NoteEditorBoundary key={note.id} onError={close}>
      <NoteEditor board={board} note={note} provider={provider} user={user} onClose={close} />
    </NoteEditorBoundary>
  );
}
