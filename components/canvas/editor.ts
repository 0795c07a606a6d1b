/**
 * The editor's commands (delete, duplicate, order, lock, nudge, zoom, undo…), shared by keyboard
 * shortcuts, the toolbar and the selection action bar. Every document write goes through the typed
 * operations in lib/board; local view state (camera, selection) through the UI store.
 */
import {
  bringForward,
  bringToFront,
  deleteShapes,
  duplicateShapes,
  moveShapes,
  sendBackward,
  sendToBack,
  updateShape,
  type Board,
  type BoardHistory,
  type Shape,
  type ShapeCache,
  type ShapeId,
} from '@/lib/board';
import { shapeBounds, type Box } from '@/lib/board/shape-geometry';
import { MAX_ZOOM, MIN_ZOOM, zoomAt, type Camera } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';

export type Editor = {
  board: Board;
  cache: ShapeCache;
  history: BoardHistory;
  userName: () => string;
  /** False while the server refuses us or we may only view: edits would never be saved. */
  editable: () => boolean;
  /** Canvas size in CSS pixels. */
  viewport: () => { width: number; height: number };
  requestFrame: () => void;
  measureText: (text: string, fontSize: number) => { w: number; h: number };
};

export type OrderCommand = 'bring-forward' | 'send-backward' | 'bring-to-front' | 'send-to-back';

const DUPLICATE_OFFSET = 16;

/** Selected shapes that still exist, in z-order. */
export function selectedShapes(editor: Editor): Shape[] {
  return editor.cache.pick(useUiStore.getState().selection);
}

/** Selected shapes that may be changed (not locked). */
export function editableSelection(editor: Editor): ShapeId[] {
  if (!editor.editable()) return [];
  return selectedShapes(editor)
    .filter((s) => !s.locked)
    .map((s) => s.id);
}

export function deleteSelection(editor: Editor): void {
  const ids = editableSelection(editor);
  if (ids.length === 0) return;
  deleteShapes(editor.board, ids);
  useUiStore.getState().select(selectedShapes(editor).map((s) => s.id)); // keeps the locked ones
}

export function duplicateSelection(editor: Editor): void {
  if (!editor.editable()) return;
  const ids = selectedShapes(editor).map((s) => s.id);
  if (ids.length === 0) return;
  useUiStore.getState().select(duplicateShapes(editor.board, ids, { x: DUPLICATE_OFFSET, y: DUPLICATE_OFFSET }));
}

export function reorderSelection(editor: Editor, command: OrderCommand): void {
  const ids = editableSelection(editor);
  if (ids.length === 0) return;
  const op = { 'bring-forward': bringForward, 'send-backward': sendBackward, 'bring-to-front': bringToFront, 'send-to-back': sendToBack }[command];
  op(editor.board, ids);
}

/** Locks the selection, or unlocks it if every selected shape is locked. */
export function toggleLockSelection(editor: Editor): void {
  if (!editor.editable()) return;
  const shapes = selectedShapes(editor);
  if (shapes.length === 0) return;
  const locked = !shapes.every((s) => s.locked);
  editor.board.doc.transact(() => {
    for (const s of shapes) updateShape(editor.board, s.id, { locked });
  });
}

export function nudgeSelection(editor: Editor, dx: number, dy: number): void {
  const ids = editableSelection(editor);
  if (ids.length > 0) moveShapes(editor.board, ids, { x: dx, y: dy });
}

export function selectAll(editor: Editor): void {
  useUiStore.getState().select(editor.cache.list().map((s) => s.id));
}

export function undo(editor: Editor): void {
  if (editor.editable()) editor.history.undo();
}

export function redo(editor: Editor): void {
  if (editor.editable()) editor.history.redo();
}

function union(boxes: Box[]): Box | null {
  if (boxes.length === 0) return null;
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.w));
  const y1 = Math.max(...boxes.map((b) => b.y + b.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Union of the shapes' rotated bounds. */
export function boundsOf(editor: Editor, shapes: readonly Shape[]): Box | null {
  return union(shapes.map((s) => shapeBounds(s, editor.cache.lookup)));
}

/** A camera showing `box` centred with a margin, zoom capped at 1 for small content. */
export function cameraToFit(box: Box, width: number, height: number, maxZoom = 1): Camera {
  const margin = 64;
  const zoom = Math.min(maxZoom, MAX_ZOOM, Math.max(MIN_ZOOM, Math.min((width - margin * 2) / Math.max(box.w, 1), (height - margin * 2) / Math.max(box.h, 1))));
  return { zoom, x: width / (2 * zoom) - (box.x + box.w / 2), y: height / (2 * zoom) - (box.y + box.h / 2) };
}

export type ZoomCommand = 'in' | 'out' | 'reset' | 'fit' | 'selection';

export function zoom(editor: Editor, command: ZoomCommand): void {
  const ui = useUiStore.getState();
  const { width, height } = editor.viewport();
  const centre = { x: width / 2, y: height / 2 };
  if (command === 'in') ui.setCamera(zoomAt(ui.camera, centre, 1.25));
  else if (command === 'out') ui.setCamera(zoomAt(ui.camera, centre, 0.8));
  else if (command === 'reset') ui.setCamera(zoomAt(ui.camera, centre, 1 / ui.camera.zoom));
  else {
    const box = boundsOf(editor, command === 'fit' ? editor.cache.list() : selectedShapes(editor));
    if (box) ui.setCamera(cameraToFit(box, width, height, command === 'fit' ? 1 : 4));
  }
}
