/**
 * Pointer handling for the canvas, as a small state machine in tldraw's vocabulary: idle ->
 * translating / brushing / resizing / rotating / point (select tool), creating / drawing / erasing
 * (shape tools), panning (hand tool, space+drag, middle button), pinching (two touches). Drags are
 * applied to the document at most once per animation frame (flushFrame) plus a final commit on
 * pointerup, so peers see smooth motion without one update per mouse event, and each drag is one
 * undo step. The drag maths lives in transform-gestures.ts, snapping in snapping.ts.
 */
import { deleteShapes, type Shape, type ShapeId } from '@/lib/board';
import { hitShape, shapesInRect } from '@/lib/board/hit-test';
import type { Guide } from '@/lib/geometry/snap';
import { shapesBox } from '@/lib/io/snapshot';
import { panBy, screenToBoard, zoomAt, type Point } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import { useNoteStore } from '../notes/note-store';
import { bindingAt, createFromDrag, createText, flushCreating, isBoxTool, PenStroke, setText, type Creating } from './creating';
import { editableSelection, selectedShapes, type Editor } from './editor';
import { useEditorStore } from './editor-store';
import type { Draft } from './renderer';
import { editedLine, handleAt, selectionFrame } from './selection-frame';
import { Snapper, snapBox } from './snapping';
import { flushPoint, flushResize, flushRotate, flushTranslate, type PointDrag, type Resizing, type Rotating, type Translating } from './transform-gestures';

/** `mod` is ctrl/cmd: held during a drag, it turns snapping off. */
export type Modifiers = { shift: boolean; alt: boolean; mod: boolean; pressure: number; pointerType: string };

type State =
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

const HIT_TOLERANCE_PX = 4;

export class Interaction {
  private state: State = { kind: 'idle' };
  private spaceHeld = false;
  private touches = new Map<number, Point>();
  private snapGuides: Guide[] = [];

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

  /** Snap guides of the current drag, in board coordinates. */
  guides(): readonly Guide[] {
    return this.snapGuides;
  }

  isPanReady(): boolean {
    return this.spaceHeld || this.state.kind === 'panning' || useUiStore.getState().tool === 'hand';
  }

  private toBoard(screen: Point): Point {
    return screenToBoard(useUiStore.getState().camera, screen);
  }

  private zoom(): number {
    return useUiStore.getState().camera.zoom;
  }

  private tolerance(px: number): number {
    return px / this.zoom();
  }

  /** Topmost shape under p (rotation included), found through the spatial index. */
  shapeAt(p: Point): Shape | null {
    const t = this.tolerance(HIT_TOLERANCE_PX);
    const near = this.editor.cache.query({ x: p.x - t, y: p.y - t, w: 2 * t, h: 2 * t });
    for (let i = near.length - 1; i >= 0; i--) if (hitShape(near[i], p, t, this.editor.cache.lookup)) return near[i];
    return null;
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
    if (ui.tool !== 'select') this.startTool(p, pointerId, mods);
    else this.startSelect(screen, p, pointerId, mods);
  }

  private startTool(p: Point, pointerId: number, mods: Modifiers): void {
    const ui = useUiStore.getState();
    const tool = ui.tool;
    if (!this.editor.editable()) return;
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
  }

  private startSelect(screen: Point, p: Point, pointerId: number, mods: Modifiers): void {
    const ui = useUiStore.getState();
    const drag = { pointerId, pending: p, shift: mods.shift, noSnap: mods.mod };
    const handle = handleAt(this.editor, useUiStore.getState().camera, screen);
    if (handle !== null && typeof handle === 'object') {
      this.begin({ kind: 'point', ...drag, id: editedLine(this.editor)!.id, index: handle.point, bend: handle.bend });
      return;
    }
    if (handle) {
      const frame = selectionFrame(this.editor)!;
      const shapes = selectedShapes(this.editor).filter((s) => !s.locked);
      if (handle === 'rotate') this.begin({ kind: 'rotating', ...drag, frame, start: p, shapes });
      else this.begin({ kind: 'resizing', ...drag, handle, frame, shapes, snapper: new Snapper(this.editor, new Set(shapes.map((s) => s.id))) });
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
    if (ids.length === 0) return;
    const moving = ids.map((id) => this.editor.cache.get(id)).filter((s): s is Shape => s !== undefined);
    const box = shapesBox(moving.map((m) => snapBox(m, this.editor)));
    this.begin({ kind: 'translating', ...drag, shift: false, start: p, applied: p, ids, box, snapper: new Snapper(this.editor, new Set(ids)) });
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
      case 'point':
        s.pending = p;
        s.shift = mods.shift;
        s.noSnap = mods.mod;
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
    if (s.kind === 'translating' || s.kind === 'resizing' || s.kind === 'rotating' || s.kind === 'point') s.pending = p;
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
    this.snapGuides = [];
    const ui = useUiStore.getState();
    if (s.kind === 'brushing') {
      const inside = shapesInRect(this.editor.cache.query(this.boxOf(s.start, s.current)), s.start, s.current)
        .filter((shape) => !shape.locked)
        .map((shape) => shape.id);
      if (inside.length > 0 || s.additive) ui.select(s.additive ? [...new Set([...ui.selection, ...inside])] : inside);
    } else if (s.kind === 'creating') {
      const id = s.id ?? createFromDrag(this.editor, s, null);
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

  /** Called once per animation frame before drawing: writes the drag's latest state. */
  flushFrame(): void {
    const s = this.state;
    if (s.kind === 'translating') this.snapGuides = flushTranslate(this.editor, s, this.zoom());
    else if (s.kind === 'resizing') this.snapGuides = flushResize(this.editor, s, this.zoom());
    else if (s.kind === 'rotating') flushRotate(this.editor, s);
    else if (s.kind === 'point') flushPoint(this.editor, s, this.tolerance(HIT_TOLERANCE_PX));
    else if (s.kind === 'creating') flushCreating(this.editor, s, this.zoom(), this.tolerance(HIT_TOLERANCE_PX));
    else if (s.kind === 'drawing') s.stroke.flush();
  }

  wheel(screen: Point, deltaX: number, deltaY: number, zoomGesture: boolean): void {
    const ui = useUiStore.getState();
    if (zoomGesture) ui.setCamera(zoomAt(ui.camera, screen, Math.exp(-deltaY * 0.01)));
    else ui.setCamera(panBy(ui.camera, -deltaX, -deltaY));
  }

  /**
   * Double click: edit a text shape in place, or open a note's editor. The hit test is the canvas'
   * own (rotation included), so a rotated shape opens where it is drawn.
   */
  doubleClick(screen: Point): void {
    const hit = this.shapeAt(this.toBoard(screen));
    if (!hit || hit.locked || !this.editor.editable() || (hit.type !== 'text' && hit.type !== 'note')) return;
    useUiStore.getState().select([hit.id]);
    if (hit.type === 'note') {
      useNoteStore.getState().open(hit.id);
      return;
    }
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
