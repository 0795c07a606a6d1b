/**
 * Shape-creating tools: geo shapes, notes, lines and arrows (with bindings), the pen and text.
 * The tools call these inside `editor.run(…, { gesture: true })`, so undo removes the whole shape
 * in one step.
 */
import { addShape, appendFreehandPoints, setLinePoints, updateShapes, type ArrowBinding, type FreehandPoint, type Shape, type ShapeId } from '@/lib/board';
import { anchorFor, pointsBox } from '@/lib/board/shape-geometry';
import type { Point } from '@/lib/ui/camera';
import { useUiStore, type Tool } from '@/lib/ui/ui-store';
import type { Editor } from '../types';

/** The style panel's last used style (lib/ui/ui-store.ts), given to every new shape. */
const currentStyle = () => useUiStore.getState().currentStyle;

const DEFAULT_SIZE: Record<'rect' | 'ellipse' | 'diamond' | 'note', { w: number; h: number }> = {
  rect: { w: 160, h: 100 },
  ellipse: { w: 160, h: 100 },
  diamond: { w: 160, h: 120 },
  note: { w: 200, h: 200 },
};

const GEO_TOOLS = { rectangle: 'rect', ellipse: 'ellipse', diamond: 'diamond', note: 'note' } as const;
export type BoxTool = keyof typeof GEO_TOOLS;

export function isBoxTool(tool: Tool): tool is BoxTool {
  return tool in GEO_TOOLS;
}

/** Topmost shape an arrow end may bind to under p (not lines or arrows). */
function bindingTarget(editor: Editor, p: Point, tolerance: number, except?: string): Shape | null {
  return editor.topmostAt(p, tolerance, (s) => s.id !== except && s.type !== 'line' && s.type !== 'arrow');
}

export function bindingAt(editor: Editor, p: Point, tolerance: number, except?: string): ArrowBinding | null {
  const target = bindingTarget(editor, p, tolerance, except);
  return target ? { shapeId: target.id, anchor: anchorFor(target, p) } : null;
}

/** Box from a drag (shift: square), or the default size centred on `start` for a click. */
function boxFromDrag(type: keyof typeof DEFAULT_SIZE, start: Point, end: Point | null, square: boolean) {
  if (!end) {
    const d = DEFAULT_SIZE[type];
    return { x: start.x - d.w / 2, y: start.y - d.h / 2, ...d };
  }
  let w = Math.abs(end.x - start.x);
  let h = Math.abs(end.y - start.y);
  if (square) w = h = Math.max(w, h);
  return { x: end.x < start.x ? start.x - w : start.x, y: end.y < start.y ? start.y - h : start.y, w, h };
}

function createBoxShape(editor: Editor, tool: BoxTool, box: { x: number; y: number; w: number; h: number }): ShapeId {
  return addShape(editor.board, { type: GEO_TOOLS[tool], ...box, style: currentStyle(), createdBy: editor.userName() });
}

/** Shift constrains a line's end to 45-degree steps. */
export function constrainAngle(start: Point, end: Point): Point {
  const len = Math.hypot(end.x - start.x, end.y - start.y);
  const step = Math.PI / 4;
  const angle = Math.round(Math.atan2(end.y - start.y, end.x - start.x) / step) * step;
  return { x: start.x + len * Math.cos(angle), y: start.y + len * Math.sin(angle) };
}

export function createLine(editor: Editor, type: 'line' | 'arrow', start: Point, end: Point, startBinding: ArrowBinding | null): ShapeId {
  const b = pointsBox([start, end]);
  return addShape(editor.board, {
    type,
    ...b,
    points: [
      { x: start.x - b.x, y: start.y - b.y },
      { x: end.x - b.x, y: end.y - b.y },
    ],
    start: type === 'arrow' ? startBinding : undefined,
    style: currentStyle(),
    createdBy: editor.userName(),
  });
}

function updateLineEnd(editor: Editor, id: ShapeId, start: Point, end: Point, endBinding: ArrowBinding | null | undefined): void {
  setLinePoints(editor.board, id, [start, end], endBinding === undefined ? {} : { end: endBinding });
}

/**
 * Points per stroke before drawing continues in a new stroke (well under the schema's 20,000): a
 * stroke's outline is recomputed whole when it grows, so long strokes would slow every frame.
 */
export const STROKE_SPLIT_POINTS = 2_000;

/**
 * A stroke being drawn: points are buffered per pointer event and flushed as one chunk per frame.
 * A long stroke continues in a new stroke from its last point (same gesture, so one undo step)
 * rather than dropping points.
 */
export class PenStroke {
  id: ShapeId;
  private pending: FreehandPoint[] = [];
  private count = 1;
  private origin: Point;
  private last: FreehandPoint;
  private minX = 0;
  private minY = 0;
  private maxX = 0;
  private maxY = 0;

  constructor(
    private readonly editor: Editor,
    origin: Point,
    pressure: number,
  ) {
    this.origin = origin;
    this.last = { x: origin.x, y: origin.y, pressure };
    this.id = this.start(origin, pressure);
  }

  private start(origin: Point, pressure: number): ShapeId {
    this.origin = origin;
    this.count = 1;
    this.minX = this.maxX = origin.x;
    this.minY = this.maxY = origin.y;
    return addShape(this.editor.board, {
      type: 'freehand',
      x: origin.x,
      y: origin.y,
      w: 0,
      h: 0,
      points: [{ x: 0, y: 0, pressure }],
      style: currentStyle(),
      createdBy: this.editor.userName(),
    });
  }

  add(p: Point, pressure: number): void {
    this.pending.push({ x: p.x - this.origin.x, y: p.y - this.origin.y, pressure });
    this.last = { x: p.x, y: p.y, pressure };
    this.minX = Math.min(this.minX, p.x);
    this.minY = Math.min(this.minY, p.y);
    this.maxX = Math.max(this.maxX, p.x);
    this.maxY = Math.max(this.maxY, p.y);
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const box = { x: this.minX, y: this.minY, w: this.maxX - this.minX, h: this.maxY - this.minY };
    const written = appendFreehandPoints(this.editor.board, this.id, this.pending, box);
    this.count += this.pending.length;
    this.pending = [];
    // full, or deleted by a peer mid-stroke: carry on in a new stroke from the last point
    if (!written || this.count >= STROKE_SPLIT_POINTS) this.id = this.start(this.last, this.last.pressure);
  }
}

/** Creates an empty text shape at p (the text editor fills it in). */
export function createText(editor: Editor, p: Point, fallbackFontSize: number): ShapeId {
  const style = currentStyle();
  const size = editor.measureText('', style.fontSize || fallbackFontSize);
  return addShape(editor.board, { type: 'text', x: p.x, y: p.y - size.h / 2, ...size, text: '', style, createdBy: editor.userName() });
}

/** The shape tools' drag: the shape exists once the pointer moved MIN_DRAG_PX, then follows it. */
export type Creating = { kind: 'creating'; pointerId: number; tool: BoxTool | 'line' | 'arrow'; start: Point; current: Point; shift: boolean; id: ShapeId | null; binding: ArrowBinding | null };

const MIN_DRAG_PX = 4;

/** Creates the shape of a drag that ends at `end` (null: a click, default size). */
export function createFromDrag(editor: Editor, s: Creating, end: Point | null): ShapeId {
  if (s.tool === 'line' || s.tool === 'arrow') {
    const to = end ?? { x: s.start.x + 160, y: s.start.y };
    return createLine(editor, s.tool, s.start, s.shift ? constrainAngle(s.start, to) : to, s.binding);
  }
  return createBoxShape(editor, s.tool, boxFromDrag(s.tool === 'rectangle' ? 'rect' : s.tool, s.start, end, s.shift));
}

/** One frame of a creating drag; an arrow's end binds to the shape under it (`tolerance` in board units). */
export function flushCreating(editor: Editor, s: Creating, zoom: number, tolerance: number): void {
  const far = Math.hypot(s.current.x - s.start.x, s.current.y - s.start.y) * zoom >= MIN_DRAG_PX;
  if (!s.id) {
    if (far) s.id = createFromDrag(editor, s, s.current);
    return;
  }
  if (s.tool === 'line' || s.tool === 'arrow') {
    const end = s.shift ? constrainAngle(s.start, s.current) : s.current;
    const binding = s.tool === 'arrow' ? bindingAt(editor, end, tolerance, s.id) : undefined;
    updateLineEnd(editor, s.id, s.start, end, binding);
  } else {
    const box = boxFromDrag(s.tool === 'rectangle' ? 'rect' : s.tool, s.start, s.current, s.shift);
    updateShapes(editor.board, new Map([[s.id, box]]));
  }
}
