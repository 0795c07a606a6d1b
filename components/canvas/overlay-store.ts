/** Screen-space geometry of the selection, recomputed once per drawn frame for the DOM overlay. */
import { create } from 'zustand';

export type OverlayBox = { id: string; x: number; y: number; w: number; h: number; rotation: number; locked: boolean };
/** The frame the handles sit on; `handles` is false when nothing selected may be transformed. */
export type OverlayFrame = { x: number; y: number; w: number; h: number; rotation: number; handles: boolean };

type XY = { x: number; y: number };
/** Screen positions of a selected line's or arrow's handles: ends, interior points, segment middles (bends). */
export type OverlayEnds = { start: XY; end: XY; inner: XY[]; mids: XY[] };

/** A snap guide on screen: a vertical (`x`) or horizontal (`y`) segment. */
export type OverlayGuide = { axis: 'x' | 'y'; at: number; from: number; to: number };

type OverlayState = {
  boxes: readonly OverlayBox[];
  frame: OverlayFrame | null;
  ends: OverlayEnds | null;
  guides: readonly OverlayGuide[];
  set: (boxes: readonly OverlayBox[], frame: OverlayFrame | null, ends: OverlayEnds | null, guides?: readonly OverlayGuide[]) => void;
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
  guides: [],
  set: (boxes, frame, ends, guides = []) => {
    const prev = get();
    const boxesSame = prev.boxes.length === boxes.length && prev.boxes.every((b, i) => sameBox(b, boxes[i]));
    const endsSame = JSON.stringify(prev.ends) === JSON.stringify(ends);
    const guidesSame = JSON.stringify(prev.guides) === JSON.stringify(guides);
    if (!boxesSame || !sameFrame(prev.frame, frame) || !endsSame || !guidesSame) {
      set({ boxes: boxesSame ? prev.boxes : boxes, frame, ends: endsSame ? prev.ends : ends, guides: guidesSame ? prev.guides : guides });
    }
  },
}));
