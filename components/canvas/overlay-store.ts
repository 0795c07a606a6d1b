/** Screen-space boxes of the selected shapes, recomputed once per drawn frame for the DOM overlay. */
import { create } from 'zustand';

export type OverlayBox = { id: string; x: number; y: number; w: number; h: number; rotation: number };

type OverlayState = { boxes: readonly OverlayBox[]; setBoxes: (boxes: readonly OverlayBox[]) => void };

function same(a: readonly OverlayBox[], b: readonly OverlayBox[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i];
    return x.id === y.id && x.x === y.x && x.y === y.y && x.w === y.w && x.h === y.h && x.rotation === y.rotation;
  });
}

export const useOverlayStore = create<OverlayState>((set, get) => ({
  boxes: [],
  setBoxes: (boxes) => {
    if (!same(get().boxes, boxes)) set({ boxes });
  },
}));
