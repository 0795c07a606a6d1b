/** The mounted editor (for the toolbar and action bar) and editor UI state that is not the camera. */
import { create } from 'zustand';
import type { ShapeId } from '@/lib/board';
import type { Editor } from './editor';

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
  /** The text shape being edited in place, if any. */
  editingText: ShapeId | null;
  setEditor: (editor: Editor | null) => void;
  setHistory: (canUndo: boolean, canRedo: boolean) => void;
  startTextEdit: (id: ShapeId) => void;
  stopTextEdit: () => void;
};

export const useEditorStore = create<EditorState>((set) => ({
  editor: null,
  canUndo: false,
  canRedo: false,
  editingText: null,
  setEditor: (editor) => set({ editor, canUndo: false, canRedo: false, editingText: null }),
  setHistory: (canUndo, canRedo) => set({ canUndo, canRedo }),
  startTextEdit: (id) => set({ editingText: id }),
  stopTextEdit: () => set({ editingText: null }),
}));
