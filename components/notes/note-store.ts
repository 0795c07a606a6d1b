/** Which note (if any) has its rich-text editor open on this client. Local UI state, never synced. */
import { create } from 'zustand';
import type { ShapeId } from '@/lib/board';

type NoteEditState = {
  editing: ShapeId | null;
  open: (id: ShapeId) => void;
  close: () => void;
};

export const useNoteStore = create<NoteEditState>((set) => ({
  editing: null,
  open: (id) => set({ editing: id }),
  close: () => set({ editing: null }),
}));
