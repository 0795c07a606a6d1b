/**
 * The editor's selection and view commands (delete, duplicate, order, lock, style, nudge, zoom),
 * shared by keyboard shortcuts, the toolbar, the style panel and the selection action bar. Each
 * document change is one `editor.run`, so one undo step.
 */
import {
  bringForward,
  bringToFront,
  deleteShapes,
  duplicateShapes,
  moveShapes,
  sendBackward,
  sendToBack,
  setShapesStyle,
  updateShape,
  type Shape,
  type ShapeId,
  type ShapeStyle,
} from '@/lib/board';
import type { Box } from '@/lib/geometry/box';
import { MAX_ZOOM, MIN_ZOOM, zoomAt, type Camera } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import type { Editor, RunOptions } from './types';

export type OrderCommand = 'bring-forward' | 'send-backward' | 'bring-to-front' | 'send-to-back';

const DUPLICATE_OFFSET = 16;

export function deleteSelection(editor: Editor): void {
  const ids = editor.editableSelection();
  if (ids.length === 0) return;
  editor.run(() => deleteShapes(editor.board, ids));
  editor.select(editor.selectedShapes().map((s) => s.id)); // keeps the locked ones
}

export function duplicateSelection(editor: Editor): void {
  if (!editor.editable()) return;
  const ids = editor.selectedShapes().map((s) => s.id);
  if (ids.length === 0) return;
  editor.select(editor.run(() => duplicateShapes(editor.board, ids, { x: DUPLICATE_OFFSET, y: DUPLICATE_OFFSET })));
}

export function reorderSelection(editor: Editor, command: OrderCommand): void {
  const ids = editor.editableSelection();
  if (ids.length === 0) return;
  const op = { 'bring-forward': bringForward, 'send-backward': sendBackward, 'bring-to-front': bringToFront, 'send-to-back': sendToBack }[command];
  editor.run(() => op(editor.board, ids));
}

/** Locks the selection, or unlocks it if every selected shape is locked: one undo step. */
export function toggleLockSelection(editor: Editor): void {
  if (!editor.editable()) return;
  const shapes = editor.selectedShapes();
  if (shapes.length === 0) return;
  const locked = !shapes.every((s) => s.locked);
  editor.run(() => {
    for (const s of shapes) updateShape(editor.board, s.id, { locked });
  });
}

/**
 * Applies a style to every editable selected shape (one undo step; `gesture` merges a slider drag).
 * Text boxes are sized to their text, so a new font size re-measures them in the same step.
 */
export function styleSelection(editor: Editor, patch: Partial<ShapeStyle>, options?: RunOptions): void {
  const ids = editor.editableSelection();
  if (ids.length === 0) return;
  const fit = patch.fontSize === undefined ? undefined : (s: Shape) => (s.type === 'text' ? editor.measureText(s.text, s.style.fontSize) : null);
  editor.run(() => setShapesStyle(editor.board, ids, patch, undefined, fit), options);
}

/** A note's card colour: one undo step. */
export function setShapeColor(editor: Editor, id: ShapeId, color: string): void {
  if (editor.editable()) editor.run(() => updateShape(editor.board, id, { color }));
}

export function nudgeSelection(editor: Editor, dx: number, dy: number): void {
  const ids = editor.editableSelection();
  if (ids.length > 0) editor.run(() => moveShapes(editor.board, ids, { x: dx, y: dy }));
}

export function selectAll(editor: Editor): void {
  editor.select(editor.cache.list().map((s) => s.id));
}

/** A camera showing `box` centred with a margin, zoom capped at 1 for small content. */
function cameraToFit(box: Box, width: number, height: number, maxZoom = 1): Camera {
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
    const box = editor.boundsOf(command === 'fit' ? editor.cache.list() : editor.selectedShapes());
    if (box) ui.setCamera(cameraToFit(box, width, height, command === 'fit' ? 1 : 4));
  }
}
