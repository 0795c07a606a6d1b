/**
 * Pointer and keyboard handling for the canvas, as a small state machine in tldraw's vocabulary:
 * idle -> translating or brushing (select tool), drawing (rectangle tool), panning (space+drag or
 * middle button). Drags are applied to the document at most once per animation frame
 * (flushFrame) plus a final commit on pointerup, so peers see smooth motion without one
 * update per mouse event.
 */
import { addShape, deleteShapes, moveShapes, shapeAt, shapesInRect, type Board, type ShapeCache } from '@/lib/board';
import { panBy, screenToBoard, zoomAt, type Point } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import type { Draft } from './renderer';

type State =
  | { kind: 'idle' }
  | { kind: 'translating'; pointerId: number; last: Point; pending: Point }
  | { kind: 'drawing'; pointerId: number; start: Point; current: Point }
  | { kind: 'brushing'; pointerId: number; start: Point; current: Point; additive: boolean }
  | { kind: 'panning'; pointerId: number; lastScreen: Point };

const DEFAULT_RECT = { w: 160, h: 100 };
const MIN_DRAG_PX = 4;
const HIT_TOLERANCE_PX = 4;

export type InteractionHost = {
  board: () => Board | null;
  cache: ShapeCache;
  userName: () => string;
  requestFrame: () => void;
  publishCursor: (p: Point | null) => void;
  /** False while the server refuses us: edits would never be saved, so none are made. */
  editable: () => boolean;
};

export class Interaction {
  private state: State = { kind: 'idle' };
  private spaceHeld = false;

  constructor(private readonly host: InteractionHost) {}

  /** The rectangle being drawn or the selection brush, in board coordinates, for the renderer. */
  draft(): Draft {
    if (this.state.kind !== 'drawing' && this.state.kind !== 'brushing') return null;
    const { start, current, kind } = this.state;
    const box = { x: Math.min(start.x, current.x), y: Math.min(start.y, current.y), w: Math.abs(current.x - start.x), h: Math.abs(current.y - start.y) };
    return { ...box, kind: kind === 'drawing' ? 'shape' : 'brush' };
  }

  isPanReady(): boolean {
    return this.spaceHeld || this.state.kind === 'panning';
  }

  private toBoard(screen: Point): Point {
    return screenToBoard(useUiStore.getState().camera, screen);
  }

  pointerDown(screen: Point, pointerId: number, button: number, shiftKey = false): void {
    const ui = useUiStore.getState();
    if (button === 1 || (button === 0 && this.spaceHeld)) {
      this.state = { kind: 'panning', pointerId, lastScreen: screen };
      return;
    }
    if (button !== 0) return;
    const p = this.toBoard(screen);
    if (ui.tool === 'rectangle') {
      if (!this.host.editable()) return;
      this.state = { kind: 'drawing', pointerId, start: p, current: p };
      this.host.requestFrame();
      return;
    }
    const hit = shapeAt(this.host.cache.list(), p, HIT_TOLERANCE_PX / ui.camera.zoom);
    if (!hit) {
      if (!shiftKey) ui.select([]);
      this.state = { kind: 'brushing', pointerId, start: p, current: p, additive: shiftKey };
      return;
    }
    if (shiftKey) {
      // shift-click toggles membership and never starts a drag
      ui.select(ui.selection.includes(hit.id) ? ui.selection.filter((id) => id !== hit.id) : [...ui.selection, hit.id]);
      return;
    }
    if (!ui.selection.includes(hit.id)) ui.select([hit.id]);
    if (this.host.editable()) this.state = { kind: 'translating', pointerId, last: p, pending: p };
  }

  pointerMove(screen: Point, pointerId: number): void {
    const p = this.toBoard(screen);
    this.host.publishCursor(p);
    const s = this.state;
    if (s.kind === 'idle' || s.pointerId !== pointerId) return;
    if (s.kind === 'panning') {
      const ui = useUiStore.getState();
      ui.setCamera(panBy(ui.camera, screen.x - s.lastScreen.x, screen.y - s.lastScreen.y));
      s.lastScreen = screen;
    } else if (s.kind === 'drawing' || s.kind === 'brushing') {
      s.current = p;
    } else {
      s.pending = p;
    }
    this.host.requestFrame();
  }

  pointerUp(screen: Point, pointerId: number): void {
    const s = this.state;
    if (s.kind === 'idle' || s.pointerId !== pointerId) return;
    this.state = { kind: 'idle' };
    if (s.kind === 'translating') {
      s.pending = this.toBoard(screen);
      this.commitMove(s);
    } else if (s.kind === 'drawing') {
      this.finishDrawing(s.start, this.toBoard(screen));
    } else if (s.kind === 'brushing') {
      this.finishBrush(s.start, this.toBoard(screen), s.additive);
    }
    this.host.requestFrame();
  }

  pointerLeave(): void {
    this.host.publishCursor(null);
  }

  /** Lost capture (e.g. alt-tab): keep what was done so far, drop drafts. */
  cancel(): void {
    const s = this.state;
    if (s.kind === 'translating') this.commitMove(s);
    this.state = { kind: 'idle' };
    this.host.requestFrame();
  }

  /** Called once per animation frame before drawing. */
  flushFrame(): void {
    if (this.state.kind === 'translating') this.commitMove(this.state);
  }

  private commitMove(s: Extract<State, { kind: 'translating' }>): void {
    const board = this.host.board();
    const delta = { x: s.pending.x - s.last.x, y: s.pending.y - s.last.y };
    if (!board || (delta.x === 0 && delta.y === 0)) return;
    moveShapes(board, useUiStore.getState().selection, delta);
    s.last = s.pending;
  }

  private finishBrush(start: Point, end: Point, additive: boolean): void {
    const ui = useUiStore.getState();
    const inside = shapesInRect(this.host.cache.list(), start, end).map((s) => s.id);
    if (inside.length === 0 && !additive) return;
    ui.select(additive ? [...new Set([...ui.selection, ...inside])] : inside);
  }

  private finishDrawing(start: Point, end: Point): void {
    const board = this.host.board();
    const ui = useUiStore.getState();
    if (!board) return;
    const zoom = ui.camera.zoom;
    const dragged = Math.abs(end.x - start.x) * zoom >= MIN_DRAG_PX || Math.abs(end.y - start.y) * zoom >= MIN_DRAG_PX;
    const rect = dragged
      ? { x: Math.min(start.x, end.x), y: Math.min(start.y, end.y), w: Math.abs(end.x - start.x), h: Math.abs(end.y - start.y) }
      : { x: start.x - DEFAULT_RECT.w / 2, y: start.y - DEFAULT_RECT.h / 2, ...DEFAULT_RECT }; // a click: default size
    const id = addShape(board, { type: 'rect', ...rect, createdBy: this.host.userName() });
    ui.select([id]);
    ui.setTool('select');
  }

  wheel(screen: Point, deltaX: number, deltaY: number, zoomGesture: boolean): void {
    const ui = useUiStore.getState();
    if (zoomGesture) ui.setCamera(zoomAt(ui.camera, screen, Math.exp(-deltaY * 0.01)));
    else ui.setCamera(panBy(ui.camera, -deltaX, -deltaY));
  }

  /** Returns true if the key was handled (caller prevents the default). */
  keyDown(e: { key: string; code: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; repeat: boolean }): boolean {
    if (e.code === 'Space') {
      this.spaceHeld = true;
      return true;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    const ui = useUiStore.getState();
    switch (e.key) {
      case 'r':
      case 'R':
        ui.setTool('rectangle');
        return true;
      case 'v':
      case 'V':
        ui.setTool('select');
        return true;
      case 'Escape':
        if (this.state.kind === 'drawing' || this.state.kind === 'brushing') this.state = { kind: 'idle' };
        ui.select([]);
        this.host.requestFrame();
        return true;
      case 'Delete':
      case 'Backspace': {
        const board = this.host.board();
        if (!board || ui.selection.length === 0 || !this.host.editable()) return false;
        deleteShapes(board, ui.selection);
        ui.select([]);
        return true;
      }
    }
    return false;
  }

  keyUp(code: string): void {
    if (code === 'Space') this.spaceHeld = false;
  }
}
