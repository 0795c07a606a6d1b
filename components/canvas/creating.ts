/**
 * Shape-creating tools: geo shapes, notes, lines and arrows (with bindings), the pen and text.
 * Each creation runs inside one history gesture, so undo removes the whole shape in one step.
 */
import { addShape, appendFreehandPoints, setLinePoints, updateShape, type ArrowBinding, type FreehandPoint, type Shape, type ShapeId } from '@/lib/board';
import { anchorFor, pointsBox } from '@/lib/geometry/shape-geometry';
import { hitShape } from '@/lib/board/hit-test';
import type { Point } from '@/lib/ui/camera';
import { useUiStore, type Tool } from '@/lib/ui/ui-store';
import type { Editor } from './editor';

/** The style panel's last used style (lib/ui/ui-store.ts), given to every new shape. */
const currentStyle = () => useUiStore.getState().currentStyle;

export const DEFAULT_SIZE: Record<'rect' | 'ellipse' | 'diamond' | 'note', { w: number; h: number }> = {
  rect: { w: 160, h: 100 },
  ellipse: { w: 160, h: 100 },
  diamond: { w: 160, h: 120 },
  note: { w: 200, h: 200 },
};

export const GEO_TOOLS = { rectangle: 'rect', ellipse: 'ellipse', diamond: 'diamond', note: 'note' } as const;
export type BoxTool = keyof typeof GEO_TOOLS;

export function isBoxTool(tool: Tool): tool is BoxTool {
  return tool in GEO_TOOLS;
}

/** Topmost shape an arrow end may bind to under p (not lines or arrows). */
export function bindingTarget(editor: Editor, p: Point, tolerance: number, except?: string): Shape | null {
  const near = editor.cache.query({ x: p.x - tolerance, y: p.y - tolerance, w: tolerance * 2, h: tolerance * 2 });
  for (let i = near.length - 1; i >= 0; i--) {
    const s = near[i];
    if (s.id === except || s.type === 'line' || s.type === 'arrow') continue;
    if (hitShape(s, p, tolerance, editor.cache.lookup)) return s;
  }
  return null;
}

export function bindingAt(editor: Editor, p: Point, tolerance: number, except?: string): ArrowBinding | null {
  const target = bindingTarget(editor, p, tolerance, except);
  return target ? { shapeId: target.id, anchor: anchorFor(target, p) } : null;
}

/** Box from a drag (shift: square), or the default size centred on `start` for a click. */
export function boxFromDrag(type: keyof typeof DEFAULT_SIZE, start: Point, end: Point | null, square: boolean) {
  if (!end) {
    const d = DEFAULT_SIZE[type];
    return { x: start.x - d.w / 2, y: start.y - d.h / 2, ...d };
  }
  let w = Math.abs(end.x - start.x);
  let h = Math.abs(end.y - start.y);
  if (square) w = h = Math.max(w, h);
  return { x: end.x < start.x ? start.x - w : start.x, y: end.y < start.y ? start.y - h : start.y, w, h };
}

export function createBoxShape(editor: Editor, tool: BoxTool, box: { x: number; y: number; w: number; h: number }): ShapeId {
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

export function updateLineEnd(editor: Editor, id: ShapeId, start: Point, end: Point, endBinding: ArrowBinding | null | undefined): void {
  setLinePoints(editor.board, id, [start, end], endBinding === undefined ? {} : { end: endBinding });
}

/** A stroke being drawn: points are buffered per pointer event and flushed as one chunk per frame. */
export class PenStroke {
  readonly id: ShapeId;
  private pending: FreehandPoint[] = [];
  private minX: number;
  private minY: number;
  private maxX: number;
  private maxY: number;

  constructor(
    private readonly editor: Editor,
    private readonly origin: Point,
    pressure: number,
  ) {
    this.minX = this.maxX = origin.x;
    this.minY = this.maxY = origin.y;
    this.id = addShape(editor.board, {
      type: 'freehand',
      x: origin.x,
      y: origin.y,
      w: 0,
      h: 0,
      points: [{ x: 0, y: 0, pressure }],
      style: currentStyle(),
      createdBy: editor.userName(),
    });
  }

  add(p: Point, pressure: number): void {
    this.pending.push({ x: p.x - this.origin.x, y: p.y - this.origin.y, pressure });
    this.minX = Math.min(this.minX, p.x);
    this.minY = Math.min(this.minY, p.y);
    this.maxX = Math.max(this.maxX, p.x);
    this.maxY = Math.max(this.maxY, p.y);
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const box = { x: this.minX, y: this.minY, w: this.maxX - this.minX, h: this.maxY - this.minY };
    appendFreehandPoints(this.editor.board, this.id, this.pending, box);
    this.pending = [];
  }
}

/** Creates an empty text shape at p (the text editor fills it in). */
export function createText(editor: Editor, p: Point, fallbackFontSize: number): ShapeId {
  const style = currentStyle();
  const size = editor.measureText('', style.fontSize || fallbackFontSize);
  return addShape(editor.board, { type: 'text', x: p.x, y: p.y - size.h / 2, ...size, text: '', style, createdBy: editor.userName() });
}

/** Writes text and the box that fits it. */
export function setText(editor: Editor, id: ShapeId, text: string, fontSize: number): void {
  updateShape(editor.board, id, { text, ...editor.measureText(text, fontSize) });
}
