/**
 * Pointer handling for the canvas, as a small state machine in tldraw's vocabulary: idle ->
 * translating / brushing / resizing / rotating / point (select tool), creating / drawing / erasing
 * (shape tools), panning (hand tool, space+drag, middle button), pinching (two touches). Drags are
 * applied to the document at most once per animation frame (flushFrame) plus a final commit on
 * pointerup, so peers see smooth motion without one update per mouse event, and each drag is one
 * undo step (every write is `editor.run(…, { gesture: true })`, ended in finish()). The drag maths
 * lives in transform-gestures.ts, snapping in snapping.ts, key bindings in keyboard.ts.
 */
import { deleteShapes } from '@/lib/board';
import { boxFromCorners } from '@/lib/geometry/box';
import type { Guide } from '@/lib/geometry/snap';
import { panBy, screenToBoard, zoomAt, type Point } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import type { Draft, Editor, KeyInput, Modifiers, ToolInput } from '../types';
import { createFromDrag, flushCreating } from './creating';
import { handleKey } from './keyboard';
import { HIT_TOLERANCE_PX, pressSelect, pressTool, twoFingers, type State } from './press';
import { flushPoint, flushResize, flushRotate, flushTranslate } from './transform-gestures';

export class Interaction implements ToolInput {
  private state: State = { kind: 'idle' };
  private spaceHeld = false;
  private touches = new Map<number, Point>();
  private snapGuides: Guide[] = [];

  constructor(private readonly editor: Editor) {}

  draft(): Draft {
    const s = this.state;
    if (s.kind === 'brushing') {
      return { kind: 'brush', box: boxFromCorners(s.start, s.current) };
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

  /** Writes of the current gesture: they merge into one undo step, ended in finish(). */
  private write<T>(fn: () => T): T {
    return this.editor.run(fn, { gesture: true });
  }

  pointerDown(screen: Point, pointerId: number, button: number, mods: Modifiers): void {
    const ui = useUiStore.getState();
    if (mods.pointerType === 'touch') {
      this.touches.set(pointerId, screen);
      if (this.touches.size === 2) {
        this.finish(); // a second finger turns any gesture into a pinch
        this.state = { kind: 'pinching', ...twoFingers(this.touches) };
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
    const press = { editor: this.editor, screen, p, pointerId, mods, tolerance: this.tolerance(HIT_TOLERANCE_PX) };
    const next = ui.tool === 'select' ? pressSelect(press) : pressTool(press);
    if (!next) return;
    this.state = next;
    if (next.kind === 'erasing') this.erase(p);
    this.editor.requestFrame();
  }

  pointerMove(screen: Point, pointerId: number, mods: Modifiers): Point | null {
    if (this.touches.has(pointerId)) this.touches.set(pointerId, screen);
    const s = this.state;
    if (s.kind === 'pinching') {
      if (this.touches.size < 2) return null;
      const { startDist: dist, lastMid: mid } = twoFingers(this.touches);
      const ui = useUiStore.getState();
      ui.setCamera(zoomAt(panBy(ui.camera, mid.x - s.lastMid.x, mid.y - s.lastMid.y), mid, s.startDist > 0 ? dist / s.startDist : 1));
      Object.assign(s, { startDist: dist, lastMid: mid });
      return null;
    }
    const p = this.toBoard(screen);
    if (s.kind === 'idle' || s.pointerId !== pointerId) return p;
    switch (s.kind) {
      case 'panning': {
        const ui = useUiStore.getState();
        ui.setCamera(panBy(ui.camera, screen.x - s.lastScreen.x, screen.y - s.lastScreen.y));
        s.lastScreen = screen;
        return p;
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
    return p;
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
    if (s.kind === 'brushing') {
      const inside = this.editor
        .shapesIn(boxFromCorners(s.start, s.current))
        .filter((shape) => !shape.locked)
        .map((shape) => shape.id);
      if (inside.length > 0 || s.additive) this.editor.select(s.additive ? [...new Set([...this.editor.getSelection(), ...inside])] : inside);
    } else if (s.kind === 'creating') {
      const id = s.id ?? this.write(() => createFromDrag(this.editor, s, null));
      this.editor.select([id]);
      useUiStore.getState().setTool('select');
    } else if (s.kind === 'erasing') {
      if (s.hits.size > 0) this.write(() => deleteShapes(this.editor.board, s.hits));
    }
    this.editor.endGesture();
    this.editor.requestFrame();
  }

  private erase(p: Point): void {
    const s = this.state;
    if (s.kind !== 'erasing') return;
    for (const shape of this.editor.shapesAt(p, this.tolerance(HIT_TOLERANCE_PX * 2))) if (!shape.locked) s.hits.add(shape.id);
  }

  /** Called once per animation frame before drawing: writes the drag's latest state. */
  flushFrame(): void {
    const s = this.state;
    if (s.kind === 'translating') this.snapGuides = this.write(() => flushTranslate(this.editor, s, this.zoom()));
    else if (s.kind === 'resizing') this.snapGuides = this.write(() => flushResize(this.editor, s, this.zoom()));
    else if (s.kind === 'rotating') this.write(() => flushRotate(this.editor, s));
    else if (s.kind === 'point') this.write(() => flushPoint(this.editor, s, this.tolerance(HIT_TOLERANCE_PX)));
    else if (s.kind === 'creating') this.write(() => flushCreating(this.editor, s, this.zoom(), this.tolerance(HIT_TOLERANCE_PX)));
    else if (s.kind === 'drawing') this.write(() => s.stroke.flush());
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
    const hit = this.editor.topmostAt(this.toBoard(screen), this.tolerance(HIT_TOLERANCE_PX));
    if (!hit || hit.locked || !this.editor.editable() || (hit.type !== 'text' && hit.type !== 'note')) return;
    this.editor.select([hit.id]);
    this.editor.startEditing(hit.type, hit.id);
  }

  keyDown(e: KeyInput): boolean {
    return handleKey(this.editor, this, e);
  }

  keyUp(e: KeyInput): void {
    if (e.code === 'Space') this.spaceHeld = false;
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
}
