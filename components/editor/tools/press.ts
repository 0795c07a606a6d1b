/**
 * What a press starts: the pointer states of the tools and the press handlers that pick the next
 * one. Writes go through `editor.run(…, { gesture: true })` (see interaction.ts).
 */
import type { Shape, ShapeId } from '@/lib/board';
import { unionBoxes } from '@/lib/geometry/box';
import type { Point } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import type { Editor, Modifiers } from '../types';
import { bindingAt, createText, isBoxTool, PenStroke, type Creating } from './creating';
import { editedLine, handleAt, selectionFrame } from './selection-frame';
import { Snapper, snapBox } from './snapping';
import type { PointDrag, Resizing, Rotating, Translating } from './transform-gestures';

export type State =
  | { kind: 'idle' }
  | { kind: 'panning'; pointerId: number; lastScreen: Point }
  | { kind: 'pinching'; startDist: number; lastMid: Point }
  | Translating
  | Resizing
  | Rotating
  | PointDrag
  | { kind: 'brushing'; pointerId: number; start: Point; current: Point; additive: boolean }
  | Creating
  | { kind: 'drawing'; pointerId: number; stroke: PenStroke }
  | { kind: 'erasing'; pointerId: number; trail: Point[]; hits: Set<ShapeId> };

export const HIT_TOLERANCE_PX = 4;

/** Distance between the first two touches and their midpoint. */
export function twoFingers(touches: Map<number, Point>): { startDist: number; lastMid: Point } {
  const [a, b] = [...touches.values()];
  return { startDist: Math.hypot(a.x - b.x, a.y - b.y), lastMid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } };
}

export type Press = { editor: Editor; screen: Point; p: Point; pointerId: number; mods: Modifiers; tolerance: number };

const write = <T>(editor: Editor, fn: () => T): T => editor.run(fn, { gesture: true });

/** A press with a shape tool: the state it starts (the text tool creates and starts editing at once). */
export function pressTool({ editor, p, pointerId, mods, tolerance }: Press): State | null {
  const ui = useUiStore.getState();
  const tool = ui.tool;
  if (!editor.editable()) return null;
  if (isBoxTool(tool) || tool === 'line' || tool === 'arrow') {
    const binding = tool === 'arrow' ? bindingAt(editor, p, tolerance) : null;
    return { kind: 'creating', pointerId, tool, start: p, current: p, shift: mods.shift, id: null, binding };
  }
  if (tool === 'pen') return { kind: 'drawing', pointerId, stroke: write(editor, () => new PenStroke(editor, p, mods.pressure)) };
  if (tool === 'eraser') return { kind: 'erasing', pointerId, trail: [p], hits: new Set() };
  if (tool === 'text') {
    const id = write(editor, () => createText(editor, p, 20)); // the edit that follows joins this step
    editor.select([id]);
    ui.setTool('select');
    editor.startEditing('text', id);
  }
  return null;
}

/** A press with the select tool: a handle, a shape (select, then translate) or the board (brush). */
export function pressSelect({ editor, screen, p, pointerId, mods, tolerance }: Press): State | null {
  const drag = { pointerId, pending: p, shift: mods.shift, noSnap: mods.mod };
  const handle = handleAt(editor, useUiStore.getState().camera, screen);
  if (handle !== null && typeof handle === 'object') {
    return { kind: 'point', ...drag, id: editedLine(editor)!.id, index: handle.point, bend: handle.bend };
  }
  if (handle) {
    const frame = selectionFrame(editor)!;
    const shapes = editor.selectedShapes().filter((s) => !s.locked);
    if (handle === 'rotate') return { kind: 'rotating', ...drag, frame, start: p, shapes };
    return { kind: 'resizing', ...drag, handle, frame, shapes, snapper: new Snapper(editor, new Set(shapes.map((s) => s.id))) };
  }
  const hit = editor.topmostAt(p, tolerance);
  if (!hit) {
    if (!mods.shift) editor.select([]);
    return { kind: 'brushing', pointerId, start: p, current: p, additive: mods.shift };
  }
  if (mods.shift) {
    // shift-click toggles membership and never starts a drag
    const selection = editor.getSelection();
    editor.select(selection.includes(hit.id) ? selection.filter((id) => id !== hit.id) : [...selection, hit.id]);
    return null;
  }
  if (!editor.getSelection().includes(hit.id)) editor.select([hit.id]);
  const ids = editor.editableSelection();
  if (ids.length === 0) return null;
  const moving = ids.map((id) => editor.cache.get(id)).filter((s): s is Shape => s !== undefined);
  const box = unionBoxes(moving.map((m) => snapBox(m, editor)));
  return { kind: 'translating', ...drag, shift: false, start: p, applied: p, ids, box, snapper: new Snapper(editor, new Set(ids)) };
}
