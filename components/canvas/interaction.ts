/**
 * Pointer handling for the canvas, as a small state machine in tldraw's vocabulary: idle ->
 * translating / brushing / resizing / rotating (select tool), creating / drawing / erasing (shape
 * tools), panning (hand tool, space+drag, middle button), pinching (two touches). Drags are applied
 * to the document at most once per animation frame (flushFrame) plus a final commit on pointerup,
 * so peers see smooth motion without one update per mouse event, and each drag is one undo step.
 */
import { deleteShapes, moveShapes, setLinePoints, updateShapes, type Shape, type ShapeId, type ShapePatch } from '@/lib/board';
import { hitShape, shapesInRect } from '@/lib/board/hit-test';
import { centerOf, resolveLinePoints, rotateAround } from '@/lib/geometry/shape-geometry';
import { HANDLES, handlePoint, mapBox, normalizeAngle, resizeFrame, rotateHandlePoint, rotationDelta, type Frame, type Handle } from '@/lib/geometry/transform';
import { MAX_FONT_SIZE, MIN_FONT_SIZE } from '@/lib/board/schema';
import { boardToScreen, panBy, screenToBoard, zoomAt, type Point } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import {
  bindingAt,
  boxFromDrag,
  constrainAngle,
  createBoxShape,
  createLine,
  createText,
  isBoxTool,
  PenStroke,
  setText,
  updateLineEnd,
  type BoxTool,
} from './creating';
import { boundsOf, editableSelection, selectedShapes, type Editor } from './editor';
import { useEditorStore } from './editor-store';
import type { Draft } from './renderer';

export type Modifiers = { shift: boolean; alt: boolean; pressure: number; pointerType: string };

type State =
  | { kind: 'idle' }
  | { kind: 'panning'; pointerId: number; lastScreen: Point }
  | { kind: 'pinching'; startDist: number; lastMid: Point }
  | { kind: 'translating'; pointerId: number; start: Point; applied: Point; pending: Point; shift: boolean; ids: ShapeId[] }
  | { kind: 'brushing'; pointerId: number; start: Point; current: Point; additive: boolean }
  | { kind: 'resizing'; pointerId: number; handle: Handle; frame: Frame; shapes: Shape[]; pending: Point; shift: boolean }
  | { kind: 'rotating'; pointerId: number; frame: Frame; start: Point; shapes: Shape[]; pending: Point; shift: boolean }
  | { kind: 'endpoint'; pointerId: number; id: ShapeId; end: 'start' | 'end'; pending: Point; shift: boolean }
  | { kind: 'creating'; pointerId: number; tool: BoxTool | 'line' | 'arrow'; start: Point; current: Point; shift: boolean; id: ShapeId | null; binding: ReturnType<typeof bindingAt> }
  | { kind: 'drawing'; pointerId: number; stroke: PenStroke }
  | { kind: 'erasing'; pointerId: number; trail: Point[]; hits: Set<ShapeId> };

const MIN_DRAG_PX = 4;
const HIT_TOLERANCE_PX = 4;
const HANDLE_RADIUS_PX = 9;
const ROTATE_OFFSET_PX = 24;

/** Which shapes the selection frame wraps: one shape's own box, or the union for several. */
export function selectionFrame(editor: Editor): Frame | null {
  const shapes = selectedShapes(editor);
  if (shapes.length === 1 && !isBoundArrow(shapes[0])) {
    const s = shapes[0];
    return { x: s.x, y: s.y, w: s.w, h: s.h, rotation: s.rotation };
  }
  const box = boundsOf(editor, shapes);
  return box ? { ...box, rotation: 0 } : null;
}

/** A bound arrow's drawn ends come from its targets, so its stored box is not where it is drawn. */
export function isBoundArrow(s: Shape): boolean {
  return s.type === 'arrow' && (s.start !== null || s.end !== null);
}

/** Whether the selection shows resize/rotate handles (a lone line or arrow gets end handles instead). */
export function canTransform(editor: Editor): boolean {
  const ids = editableSelection(editor);
  return ids.length > 1 || (ids.length === 1 && editedLine(editor) === null);
}

/** The one selected (unlocked) line or arrow, whose ends can be dragged; null otherwise. */
export function editedLine(editor: Editor): Extract<Shape, { type: 'line' | 'arrow' }> | null {
  const ids = editableSelection(editor);
  const s = ids.length === 1 ? editor.cache.get(ids[0]) : undefined;
  return s && (s.type === 'line' || s.type === 'arrow') ? s : null;
}

/** Board positions of the end handles of the edited line or arrow. */
export function lineEnds(editor: Editor): { start: Point; end: Point } | null {
  const line = editedLine(editor);
  if (!line) return null;
  const pts = resolveLinePoints(line, editor.cache.lookup);
  return { start: pts[0], end: pts[pts.length - 1] };
}

export class Interaction {
  private state: State = { kind: 'idle' };
  private spaceHeld = false;
  private touches = new Map<number, Point>();

  constructor(private readonly editor: Editor) {}

  draft(): Draft {
    const s = this.state;
    if (s.kind === 'brushing') {
      return { kind: 'brush', box: { x: Math.min(s.start.x, s.current.x), y: Math.min(s.start.y, s.current.y), w: Math.abs(s.current.x - s.start.x), h: Math.abs(s.current.y - s.start.y) } };
    }
    if (s.kind === 'erasing') return { kind: 'eraser', points: s.trail };
    return null;
  }

  erasing(): ReadonlySet<string> {
    return this.state.kind === 'erasing' ? this.state.hits : new Set();
  }

  isPanReady(): boolean {
    return this.spaceHeld || this.state.kind === 'panning' || useUiStore.getState().tool === 'hand';
  }

  private toBoard(screen: Point): Point {
    return screenToBoard(useUiStore.getState().camera, screen);
  }

  private tolerance(px: number): number {
    return px / useUiStore.getState().camera.zoom;
  }

  /** Topmost shape under p, found through the spatial index. */
  private shapeAt(p: Point): Shape | null {
    const t = this.tolerance(HIT_TOLERANCE_PX);
    const near = this.editor.cache.query({ x: p.x - t, y: p.y - t, w: 2 * t, h: 2 * t });
    for (let i = near.length - 1; i >= 0; i--) if (hitShape(near[i], p, t, this.editor.cache.lookup)) return near[i];
    return null;
  }

  /** A resize, rotate or line-end handle of the selection under the screen point. */
  private handleAt(screen: Point): Handle | 'rotate' | 'start' | 'end' | null {
    const camera = useUiStore.getState().camera;
    const near = (p: Point) => {
      const q = boardToScreen(camera, p);
      return Math.hypot(q.x - screen.x, q.y - screen.y) <= HANDLE_RADIUS_PX;
    };
    const ends = lineEnds(this.editor);
    if (ends) return near(ends.end) ? 'end' : near(ends.start) ? 'start' : null;
    const frame = selectionFrame(this.editor);
    if (!frame || !canTransform(this.editor)) return null;
    if (near(rotateHandlePoint(frame, this.tolerance(ROTATE_OFFSET_PX)))) return 'rotate';
    return HANDLES.find((h) => near(handlePoint(frame, h))) ?? null;
  }

  private begin(state: State): void {
    this.state = state;
    this.editor.history.beginGesture();
    this.editor.requestFrame();
  }

  pointerDown(screen: Point, pointerId: number, button: number, mods: Modifiers): void {
    const ui = useUiStore.getState();
    if (mods.pointerType === 'touch') {
      this.touches.set(pointerId, screen);
      if (this.touches.size === 2) {
        this.finish(); // a second finger turns any gesture into a pinch
        const [a, b] = [...this.touches.values()];
        this.state = { kind: 'pinching', startDist: Math.hypot(a.x - b.x, a.y - b.y), lastMid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } };
        return;
      }
      if (this.touches.size > 2) return;
    }
    if (this.state.kind !== 'idle') return;
    if (button === 1 || (button === 0 && (this.spaceHeld || ui.tool === 'hand'))) {
      this.state = { kind: 'panning', pointerId, lastScreen: screen };
      return;
    }
    if (button !== 0) return;
    const p = this.toBoard(screen);
    const editable = this.editor.editable();
    const tool = ui.tool;
    if (tool !== 'select') {
      if (!editable) return;
      if (isBoxTool(tool) || tool === 'line' || tool === 'arrow') {
        const binding = tool === 'arrow' ? bindingAt(this.editor, p, this.tolerance(HIT_TOLERANCE_PX)) : null;
        this.begin({ kind: 'creating', pointerId, tool, start: p, current: p, shift: mods.shift, id: null, binding });
      } else if (tool === 'pen') {
        this.begin({ kind: 'drawing', pointerId, stroke: new PenStroke(this.editor, p, mods.pressure) });
      } else if (tool === 'eraser') {
        this.begin({ kind: 'erasing', pointerId, trail: [p], hits: new Set() });
        this.erase(p);
      } else if (tool === 'text') {
        this.editor.history.beginGesture(); // ended by the text editor when editing stops
        const id = createText(this.editor, p, 20);
        ui.select([id]);
        ui.setTool('select');
        useEditorStore.getState().startTextEdit(id);
      }
      return;
    }
    const handle = this.handleAt(screen);
    if (handle === 'start' || handle === 'end') {
      this.begin({ kind: 'endpoint', pointerId, id: editedLine(this.editor)!.id, end: handle, pending: p, shift: mods.shift });
      return;
    }
    if (handle) {
      const frame = selectionFrame(this.editor)!;
      const shapes = selectedShapes(this.editor).filter((s) => !s.locked);
      if (handle === 'rotate') this.begin({ kind: 'rotating', pointerId, frame, start: p, shapes, pending: p, shift: mods.shift });
      else this.begin({ kind: 'resizing', pointerId, handle, frame, shapes, pending: p, shift: mods.shift });
      return;
    }
    const hit = this.shapeAt(p);
    if (!hit) {
      if (!mods.shift) ui.select([]);
      this.state = { kind: 'brushing', pointerId, start: p, current: p, additive: mods.shift };
      return;
    }
    if (mods.shift) {
      // shift-click toggles membership and never starts a drag
      ui.select(ui.selection.includes(hit.id) ? ui.selection.filter((id) => id !== hit.id) : [...ui.selection, hit.id]);
      return;
    }
    if (!ui.selection.includes(hit.id)) ui.select([hit.id]);
    const ids = editableSelection(this.editor);
    if (ids.length > 0) this.begin({ kind: 'translating', pointerId, start: p, applied: p, pending: p, shift: false, ids });
  }

  pointerMove(screen: Point, pointerId: number, mods: Modifiers, publishCursor: (p: Point) => void): void {
    if (this.touches.has(pointerId)) this.touches.set(pointerId, screen);
    const s = this.state;
    if (s.kind === 'pinching') {
      if (this.touches.size < 2) return;
      const [a, b] = [...this.touches.values()];
      const dist = Math.hypot(a.x - b.x, a.y - b.y);
      const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      const ui = useUiStore.getState();
      const panned = panBy(ui.camera, mid.x - s.lastMid.x, mid.y - s.lastMid.y);
      ui.setCamera(zoomAt(panned, mid, s.startDist > 0 ? dist / s.startDist : 1));
      s.startDist = dist;
      s.lastMid = mid;
      return;
    }
    const p = this.toBoard(screen);
    publishCursor(p);
    if (s.kind === 'idle' || s.pointerId !== pointerId) return;
    switch (s.kind) {
      case 'panning': {
        const ui = useUiStore.getState();
        ui.setCamera(panBy(ui.camera, screen.x - s.lastScreen.x, screen.y - s.lastScreen.y));
        s.lastScreen = screen;
        return;
      }
      case 'brushing':
        s.current = p;
        break;
      case 'translating':
      case 'resizing':
      case 'rotating':
      case 'endpoint':
        s.pending = p;
        s.shift = mods.shift;
        break;
      case 'creating':
        s.current = p;
        s.shift = mods.shift;
        break;
      case 'drawing':
        s.stroke.add(p, mods.pressure);
        break;
      case 'erasing':
        s.trail.push(p);
        if (s.trail.length > 40) s.trail.shift();
        this.erase(p);
        break;
    }
    this.editor.requestFrame();
  }

  pointerUp(screen: Point, pointerId: number): void {
    this.touches.delete(pointerId);
    const s = this.state;
    if (s.kind === 'pinching') {
      if (this.touches.size < 2) this.state = { kind: 'idle' };
      return;
    }
    if (s.kind === 'idle' || s.pointerId !== pointerId) return;
    const p = this.toBoard(screen);
    if (s.kind === 'translating' || s.kind === 'resizing' || s.kind === 'rotating' || s.kind === 'endpoint') s.pending = p;
    else if (s.kind === 'creating' || s.kind === 'brushing') s.current = p;
    this.finish();
  }

  pointerLeave(publishCursor: (p: null) => void): void {
    publishCursor(null);
  }

  /** Lost capture (e.g. alt-tab): keep what was done so far. */
  cancel(): void {
    this.touches.clear();
    this.finish();
  }

  /** Ends the current gesture, committing its last state. */
  private finish(): void {
    const s = this.state;
    this.flushFrame();
    this.state = { kind: 'idle' };
    const ui = useUiStore.getState();
    if (s.kind === 'brushing') {
      const inside = shapesInRect(this.editor.cache.query(this.boxOf(s.start, s.current)), s.start, s.current)
        .filter((shape) => !shape.locked)
        .map((shape) => shape.id);
      if (inside.length > 0 || s.additive) ui.select(s.additive ? [...new Set([...ui.selection, ...inside])] : inside);
    } else if (s.kind === 'creating') {
      const id = s.id ?? this.createShape(s, null);
      ui.select([id]);
      ui.setTool('select');
    } else if (s.kind === 'erasing') {
      if (s.hits.size > 0) deleteShapes(this.editor.board, s.hits);
    }
    if (s.kind !== 'idle' && s.kind !== 'panning' && s.kind !== 'brushing' && s.kind !== 'pinching') this.editor.history.endGesture();
    this.editor.requestFrame();
  }

  private boxOf(a: Point, b: Point) {
    return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(b.x - a.x), h: Math.abs(b.y - a.y) };
  }

  private erase(p: Point): void {
    const s = this.state;
    if (s.kind !== 'erasing') return;
    const t = this.tolerance(HIT_TOLERANCE_PX * 2);
    for (const shape of this.editor.cache.query({ x: p.x - t, y: p.y - t, w: 2 * t, h: 2 * t })) {
      if (!shape.locked && hitShape(shape, p, t, this.editor.cache.lookup)) s.hits.add(shape.id);
    }
  }

  private createShape(s: Extract<State, { kind: 'creating' }>, end: Point | null): ShapeId {
    if (s.tool === 'line' || s.tool === 'arrow') {
      const to = end ?? { x: s.start.x + 160, y: s.start.y };
      return createLine(this.editor, s.tool, s.start, s.shift ? constrainAngle(s.start, to) : to, s.binding);
    }
    return createBoxShape(this.editor, s.tool, boxFromDrag(s.tool === 'rectangle' ? 'rect' : s.tool, s.start, end, s.shift));
  }

  /** Called once per animation frame before drawing: writes the drag's latest state. */
  flushFrame(): void {
    const s = this.state;
    const board = this.editor.board;
    switch (s.kind) {
      case 'translating': {
        let target = s.pending;
        if (s.shift) {
          // constrain to the dominant axis of the whole drag
          const dx = s.pending.x - s.start.x;
          const dy = s.pending.y - s.start.y;
          target = Math.abs(dx) > Math.abs(dy) ? { x: s.pending.x, y: s.start.y } : { x: s.start.x, y: s.pending.y };
        }
        const delta = { x: target.x - s.applied.x, y: target.y - s.applied.y };
        if (delta.x === 0 && delta.y === 0) return;
        moveShapes(board, s.ids, delta);
        s.applied = target;
        return;
      }
      case 'resizing':
        updateShapes(board, this.resizePatches(s));
        return;
      case 'rotating':
        updateShapes(board, this.rotatePatches(s));
        return;
      case 'creating': {
        const zoom = useUiStore.getState().camera.zoom;
        const far = Math.hypot(s.current.x - s.start.x, s.current.y - s.start.y) * zoom >= MIN_DRAG_PX;
        if (!s.id) {
          if (far) s.id = this.createShape(s, s.current);
          return;
        }
        if (s.tool === 'line' || s.tool === 'arrow') {
          const end = s.shift ? constrainAngle(s.start, s.current) : s.current;
          const binding = s.tool === 'arrow' ? bindingAt(this.editor, end, this.tolerance(HIT_TOLERANCE_PX), s.id) : undefined;
          updateLineEnd(this.editor, s.id, s.start, end, binding);
        } else {
          const box = boxFromDrag(s.tool === 'rectangle' ? 'rect' : s.tool, s.start, s.current, s.shift);
          updateShapes(board, new Map([[s.id, box]]));
        }
        return;
      }
      case 'drawing':
        s.stroke.flush();
        return;
      case 'endpoint':
        this.moveLineEnd(s);
        return;
    }
  }

  /** Drags one end of a line or arrow; an arrow end dropped on a shape binds to it (the other end keeps its binding). */
  private moveLineEnd(s: Extract<State, { kind: 'endpoint' }>): void {
    const line = this.editor.cache.get(s.id);
    if (!line || (line.type !== 'line' && line.type !== 'arrow')) return; // deleted by a peer mid-drag
    const pts = resolveLinePoints(line, this.editor.cache.lookup);
    const at = s.end === 'start' ? 0 : pts.length - 1;
    const fixed = s.end === 'start' ? pts[pts.length - 1] : pts[0];
    pts[at] = s.shift ? constrainAngle(fixed, s.pending) : s.pending;
    const binding = line.type === 'arrow' ? bindingAt(this.editor, pts[at], this.tolerance(HIT_TOLERANCE_PX), line.id) : undefined;
    setLinePoints(this.editor.board, line.id, pts, binding === undefined ? {} : { [s.end]: binding });
  }

  private resizePatches(s: Extract<State, { kind: 'resizing' }>): Map<ShapeId, ShapePatch> {
    const next = resizeFrame(s.frame, s.handle, s.pending, s.shift);
    const patches = new Map<ShapeId, ShapePatch>();
    if (s.shapes.length === 1 && s.frame.rotation === next.rotation) {
      const shape = s.shapes[0];
      const patch: ShapePatch = { x: next.x, y: next.y, w: next.w, h: next.h };
      if (shape.type === 'text' && s.frame.h > 0) {
        // text scales its font; its box follows the measured text
        const fontSize = Math.round(Math.min(MAX_FONT_SIZE, Math.max(MIN_FONT_SIZE, (shape.style.fontSize * next.h) / s.frame.h)));
        Object.assign(patch, { style: { fontSize }, ...this.editor.measureText(shape.text, fontSize) });
      }
      patches.set(shape.id, patch);
      return patches;
    }
    for (const shape of s.shapes) patches.set(shape.id, mapBox(shape, s.frame, next));
    return patches;
  }

  private rotatePatches(s: Extract<State, { kind: 'rotating' }>): Map<ShapeId, ShapePatch> {
    const center = centerOf(s.frame);
    const delta = rotationDelta(center, s.start, s.pending, s.shift);
    const patches = new Map<ShapeId, ShapePatch>();
    for (const shape of s.shapes) {
      const c = rotateAround(centerOf(shape), center, delta);
      patches.set(shape.id, { x: c.x - shape.w / 2, y: c.y - shape.h / 2, rotation: normalizeAngle(shape.rotation + delta) });
    }
    return patches;
  }

  wheel(screen: Point, deltaX: number, deltaY: number, zoomGesture: boolean): void {
    const ui = useUiStore.getState();
    if (zoomGesture) ui.setCamera(zoomAt(ui.camera, screen, Math.exp(-deltaY * 0.01)));
    else ui.setCamera(panBy(ui.camera, -deltaX, -deltaY));
  }

  /** Double click: edit a text shape in place. */
  doubleClick(screen: Point): void {
    const hit = this.shapeAt(this.toBoard(screen));
    if (!hit || hit.type !== 'text' || hit.locked || !this.editor.editable()) return;
    useUiStore.getState().select([hit.id]);
    this.editor.history.beginGesture();
    useEditorStore.getState().startTextEdit(hit.id);
  }

  /** Escape: drop an unfinished brush; other gestures end normally. */
  escape(): void {
    if (this.state.kind === 'brushing') this.state = { kind: 'idle' };
    else if (this.state.kind !== 'idle') this.finish();
    this.editor.requestFrame();
  }

  setSpace(held: boolean): void {
    this.spaceHeld = held;
  }

  /** Used by the text editor as it types. */
  writeText(id: ShapeId, text: string, fontSize: number): void {
    setText(this.editor, id, text, fontSize);
  }
}
