/** Screen-space geometry of the selection, recomputed once per drawn frame for the DOM overlay. */
import { create } from 'zustand';

export type OverlayBox = { id: string; x: number; y: number; w: number; h: number; rotation: number; locked: boolean };
/** The frame the handles sit on; `handles` is false when nothing selected may be transformed. */
export type OverlayFrame = { x: number; y: number; w: number; h: number; rotation: number; handles: boolean };

/** Screen positions of the end handles of a selected line or arrow. */
export type OverlayEnds = { start: { x: number; y: number }; end: { x: number; y: number } };

type OverlayState = {
  boxes: readonly OverlayBox[];
  frame: OverlayFrame | null;
  ends: OverlayEnds | null;
  set: (boxes: readonly OverlayBox[], frame: OverlayFrame | null, ends: OverlayEnds | null) => void;
};

function sameBox(a: OverlayBox, b: OverlayBox): boolean {
  return a.id === b.id && a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h && a.rotation === b.rotation && a.locked === b.locked;
}

function sameFrame(a: OverlayFrame | null, b: OverlayFrame | null): boolean {
  if (a === null || b === null) return a === b;
  return a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h && a.rotation === b.rotation && a.handles === b.handles;
}

export const useOverlayStore = create<OverlayState>((set, get) => ({
  boxes: [],
  frame: null,
  ends: null,
  set: (boxes, frame, ends) => {
    const prev = get();
    const boxesSame = prev.boxes.length === boxes.length && prev.boxes.every((b, i) => sameBox(b, boxes[i]));
    const endsSame = JSON.stringify(prev.ends) === JSON.stringify(ends);
    if (!boxesSame || !sameFrame(prev.frame, frame) || !endsSame) set({ boxes: boxesSame ? prev.boxes : boxes, frame, ends: endsSame ? prev.ends : ends });
  },
}));
