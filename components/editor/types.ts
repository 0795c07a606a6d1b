/**
 * The Editor: one object below the views that owns the editing state and every command, in the way
 * tldraw's Editor facade does. This interface is its whole public surface.
 *
 * Layers: views (components/canvas, notes, panels, ui) call the editor; the editor calls lib/board
 * typed ops (the only writers of the document) and lib/geometry; nothing here imports a view.
 *
 * - Document: `board`, and `cache`, the validated shapes kept in step with the doc and indexed
 *   spatially (read it, never write it).
 * - Undo: `run(fn)` is the one way to make an undoable change: `fn`'s writes are one LOCAL
 *   transaction, one undo step. `run(fn, { gesture: true })` joins the open gesture (opening one),
 *   so every frame of a drag or every keystroke of a text edit merges into one step until
 *   `endGesture()`.
 * - Selection: `select`, `getSelection` (ids, may name deleted shapes), `selectedShapes` (that still
 *   exist, z-order), `editableSelection` (unlocked, and only when we may edit).
 * - Hit testing on the spatial index: `topmostAt` (topmost shape under a point), `shapesIn` (shapes
 *   fully inside a box: the marquee), `boundsOf` (union of rotated bounds).
 * - Editing: one owner for what is being edited in place, a text shape or a note
 *   (`getEditing`, `startEditing`, `stopEditing`); views subscribe through `useEditorStore`.
 * - Tools: `tools` is the pointer/keyboard state machine (components/editor/tools); views forward
 *   input to it. Drags are committed by the editor's own frame step (`flush`), once per frame, before
 *   the views draw (`onFrame`).
 */
import type { Board, Shape, ShapeCache, ShapeId } from '@/lib/board';
import type { Box } from '@/lib/geometry/box';
import type { Vec } from '@/lib/geometry/vec';

export type Editing = { kind: 'text' | 'note'; id: ShapeId };

export type RunOptions = {
  /** Join the open gesture (opening one): the writes merge into one undo step until endGesture(). */
  gesture?: boolean;
};

/** Pointer modifiers; `mod` is ctrl/cmd: held during a drag, it turns snapping off. */
export type Modifiers = { shift: boolean; alt: boolean; mod: boolean; pressure: number; pointerType: string };

/** The selection brush or the eraser trail, in board coordinates (drawn by the canvas). */
export type Draft = { kind: 'brush'; box: Box } | { kind: 'eraser'; points: Vec[] } | null;

export type KeyInput = { key: string; code: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean };

/** What the views send to the tools and read back from them (implemented in tools/interaction.ts). */
export interface ToolInput {
  pointerDown(screen: Vec, pointerId: number, button: number, mods: Modifiers): void;
  /** Returns the pointer's board position for presence (null while pinching: no cursor). */
  pointerMove(screen: Vec, pointerId: number, mods: Modifiers): Vec | null;
  pointerUp(screen: Vec, pointerId: number): void;
  doubleClick(screen: Vec): void;
  wheel(screen: Vec, deltaX: number, deltaY: number, zoomGesture: boolean): void;
  /** A key on the board (not in a text field); true when handled. */
  keyDown(e: KeyInput): boolean;
  keyUp(e: KeyInput): void;
  /** Lost capture (e.g. alt-tab): keep what was done so far. */
  cancel(): void;
  /** Writes the current drag's latest state (the editor calls it once per frame). */
  flushFrame(): void;
  draft(): Draft;
  erasing(): ReadonlySet<string>;
  /** Snap guides of the current drag, board coordinates. */
  guides(): readonly { axis: 'x' | 'y'; at: number; from: number; to: number }[];
  isPanReady(): boolean;
}

export interface Editor {
  readonly board: Board;
  readonly cache: ShapeCache;
  readonly tools: ToolInput;
  userName(): string;
  /** False while the server refuses us or we may only view: edits would never be saved. */
  editable(): boolean;
  measureText(text: string, fontSize: number): { w: number; h: number };
  /** Canvas size in CSS pixels (set by the canvas view). */
  viewport(): { width: number; height: number };
  setViewport(width: number, height: number): void;

  /** Asks for a frame: the editor flushes the tools, then calls every `onFrame` listener. */
  requestFrame(): void;
  onFrame(draw: () => void): () => void;
  /** The frame step: commit the drag in progress, then draw (called by the scheduler; tests call it). */
  flush(): void;

  run<T>(fn: () => T, options?: RunOptions): T;
  endGesture(): void;
  undo(): void;
  redo(): void;

  getSelection(): readonly ShapeId[];
  select(ids: readonly ShapeId[]): void;
  selectedShapes(): Shape[];
  editableSelection(): ShapeId[];

  /** Topmost shape under `p` (board units, rotation included) within `tolerance` board units. */
  topmostAt(p: Vec, tolerance: number, accept?: (s: Shape) => boolean): Shape | null;
  /** Every shape under `p` within `tolerance`, bottom to top (the eraser). */
  shapesAt(p: Vec, tolerance: number): Shape[];
  /** Shapes whose box lies fully inside `box`. */
  shapesIn(box: Box): Shape[];
  /** Union of the shapes' rotated bounds. */
  boundsOf(shapes: readonly Shape[]): Box | null;

  getEditing(): Editing | null;
  /** Starts editing a text shape (one undo gesture until it stops) or opens a note; ends any other edit. */
  startEditing(kind: Editing['kind'], id: ShapeId): void;
  /** Ends the edit: an empty text shape is deleted within its gesture, which then ends. */
  stopEditing(): void;
  /** Writes a text shape's text and the box that fits it (within the text edit's gesture). */
  setText(id: ShapeId, text: string, fontSize: number): void;

  dispose(): void;
}
