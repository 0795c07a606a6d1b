/**
 * Local UI state (never document data): active tool, camera, selection. Canvas code reads it with
 * useUiStore.getState() inside event handlers and subscribes for redraws, so a pan or a selection
 * change does not re-render the React tree below the board.
 */
import { create } from 'zustand';
import { DEFAULT_STYLE, type ShapeId, type ShapeStyle } from '../board/schema';
import { IDENTITY_CAMERA, type Camera } from './camera';

export type Tool = 'select' | 'hand' | 'rectangle' | 'ellipse' | 'diamond' | 'line' | 'arrow' | 'pen' | 'text' | 'note' | 'eraser';
export const TOOLS: readonly Tool[] = ['select', 'hand', 'rectangle', 'ellipse', 'diamond', 'line', 'arrow', 'pen', 'text', 'note', 'eraser'];

export type UiState = {
  tool: Tool;
  camera: Camera;
  /** Selected shape ids (may name shapes a peer has since deleted; readers filter). */
  selection: readonly ShapeId[];
  /** Dot grid behind the shapes (toggle with ctrl+'). */
  grid: boolean;
  /** Style given to new shapes: the last one used in the style panel (components/panels, persisted there). */
  currentStyle: ShapeStyle;
  setCurrentStyle: (patch: Partial<ShapeStyle>) => void;
  toggleGrid: () => void;
  setTool: (tool: Tool) => void;
  setCamera: (camera: Camera) => void;
  select: (ids: readonly ShapeId[]) => void;
  reset: () => void;
};

function sameIds(a: readonly ShapeId[], b: readonly ShapeId[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

export const useUiStore = create<UiState>((set) => ({
  tool: 'select',
  camera: IDENTITY_CAMERA,
  selection: [],
  grid: true,
  currentStyle: DEFAULT_STYLE,
  setCurrentStyle: (patch) => set((s) => ({ currentStyle: { ...s.currentStyle, ...patch } })),
  toggleGrid: () => set((s) => ({ grid: !s.grid })),
  setTool: (tool) => set({ tool }),
  setCamera: (camera) => set({ camera }),
  // the same ids again is no change: subscribers (presence publishing, redraws) are not woken
  select: (ids) => set((s) => (sameIds(s.selection, ids) ? s : { selection: ids })),
  reset: () => set({ tool: 'select', camera: IDENTITY_CAMERA, selection: [] }),
}));
