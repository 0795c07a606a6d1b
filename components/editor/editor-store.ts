/**
 * The mounted editor and the editor state views subscribe to (undo availability, what is being
 * edited in place). Written only by the editor (components/editor/editor.ts); views read it.
 */
import { create } from 'zustand';
import { whenStore } from '@/lib/ui/when-store';
import type { Editing, Editor } from './types';

const RENDER_SAMPLES = 240;

/** Durations (ms) of the last canvas renders, for benchmarks and the test API. */
export const renderTimes: number[] = [];

export function recordRender(ms: number): void {
  renderTimes.push(ms);
  if (renderTimes.length > RENDER_SAMPLES) renderTimes.shift();
}

type EditorState = {
  editor: Editor | null;
  canUndo: boolean;
  canRedo: boolean;
  /** The text shape or note being edited in place on this client, if any (never synced). */
  editing: Editing | null;
};

export const useEditorStore = create<EditorState>(() => ({ editor: null, canUndo: false, canRedo: false, editing: null }));

/** The note open for editing, if any (the note layer's and presence's view of `editing`). */
export const editingNote = (s: EditorState) => (s.editing?.kind === 'note' ? s.editing.id : null);
/** The text shape being edited, if any. */
export const editingText = (s: EditorState) => (s.editing?.kind === 'text' ? s.editing.id : null);

/**
 * Resolves with the editor once one is mounted on `board` (at once if it is): the canvas mounts a
 * new editor in an effect after a switch of boards (a version shown, then the live board again).
 */
export function whenEditorFor(board: Editor['board'], timeoutMs = 10_000): Promise<Editor> {
  return whenStore(useEditorStore, (s) => (s.editor?.board === board ? s.editor : null), timeoutMs, 'the board did not open in time');
}
