/**
 * A fake CanvasRenderingContext2D (and Path2D) for Node tests: it records what a painter draws as
 * DrawOps in board coordinates, with the transform, colours, width, dash and alpha in force at each
 * fill, stroke and fillText. Only what the painters call is implemented.
 */
import type { Vec } from '@/lib/board/schema';
import { angleOf, apply, IDENTITY, multiply, rotation, transformGeometry, translation, type DrawOp, type Geometry, type Matrix } from './draw-ops';

/** Collects subpaths; `at` maps each added point (the context's transform, or none for a Path2D). */
class PathRecorder {
  subpaths: Geometry[] = [];
  private open: (Geometry & { kind: 'poly' }) | null = null;

  constructor(private readonly at: () => Matrix) {}

  moveTo(x: number, y: number): void {
    this.open = { kind: 'poly', points: [apply(this.at(), { x, y })], closed: false };
    this.subpaths.push(this.open);
  }

  lineTo(x: number, y: number): void {
    if (!this.open) return this.moveTo(x, y);
    this.open.points.push(apply(this.at(), { x, y }));
  }

  /** Control points are kept as points: enough to notice a curve the other side does not draw. */
  bezierCurveTo(c1x: number, c1y: number, c2x: number, c2y: number, x: number, y: number): void {
    this.lineTo(c1x, c1y);
    this.lineTo(c2x, c2y);
    this.lineTo(x, y);
  }

  closePath(): void {
    if (this.open) this.open.closed = true;
    this.open = null;
  }

  rect(x: number, y: number, w: number, h: number): void {
    this.moveTo(x, y);
    this.lineTo(x + w, y);
    this.lineTo(x + w, y + h);
    this.lineTo(x, y + h);
    this.closePath();
  }

  ellipse(cx: number, cy: number, rx: number, ry: number, rot: number, start: number, end: number): void {
    if (Math.abs(end - start - Math.PI * 2) > 1e-9) throw new Error('only whole ellipses are recorded');
    this.subpaths.push(transformGeometry(this.at(), { kind: 'ellipse', cx, cy, rx, ry, rotation: rot }));
    this.open = null;
  }
}

export class FakePath2D extends PathRecorder {
  constructor() {
    super(() => IDENTITY);
  }

  addPath(other: FakePath2D): void {
    this.subpaths.push(...other.subpaths);
  }
}

type State = {
  matrix: Matrix;
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  lineCap: string;
  lineJoin: string;
  dash: number[];
  globalAlpha: number;
  font: string;
  textBaseline: string;
};

/** Glyph width of the fake's text: the SVG export's estimate (lib/render/style.ts), so wrapping can be compared. */
export type Measure = (text: string, fontSize: number) => number;

export class RecordingContext {
  readonly ops: DrawOp[] = [];
  private state: State = {
    matrix: IDENTITY, fillStyle: '#000000', strokeStyle: '#000000', lineWidth: 1, lineCap: 'butt', lineJoin: 'miter',
    dash: [], globalAlpha: 1, font: '10px sans-serif', textBaseline: 'alphabetic',
  };
  private stack: State[] = [];
  private path = new PathRecorder(() => this.state.matrix);

  constructor(private readonly measure: Measure) {}

  get fillStyle(): string { return this.state.fillStyle; }
  set fillStyle(v: string) { this.state.fillStyle = v; }
  get strokeStyle(): string { return this.state.strokeStyle; }
  set strokeStyle(v: string) { this.state.strokeStyle = v; }
  get lineWidth(): number { return this.state.lineWidth; }
  // as a real canvas: zero, negative and non-finite widths are ignored
  set lineWidth(v: number) { if (Number.isFinite(v) && v > 0) this.state.lineWidth = v; }
  get lineCap(): string { return this.state.lineCap; }
  set lineCap(v: string) { this.state.lineCap = v; }
  get lineJoin(): string { return this.state.lineJoin; }
  set lineJoin(v: string) { this.state.lineJoin = v; }
  get globalAlpha(): number { return this.state.globalAlpha; }
  set globalAlpha(v: number) { this.state.globalAlpha = v; }
  get font(): string { return this.state.font; }
  set font(v: string) { this.state.font = v; }
  get textBaseline(): string { return this.state.textBaseline; }
  set textBaseline(v: string) { this.state.textBaseline = v; }

  setLineDash(segments: readonly number[]): void { this.state.dash = [...segments]; }
  getLineDash(): number[] { return [...this.state.dash]; }

  save(): void { this.stack.push({ ...this.state, dash: [...this.state.dash] }); }
  restore(): void { this.state = this.stack.pop() ?? this.state; }
  translate(x: number, y: number): void { this.state.matrix = multiply(this.state.matrix, translation(x, y)); }
  rotate(a: number): void { this.state.matrix = multiply(this.state.matrix, rotation(a)); }
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void { this.state.matrix = [a, b, c, d, e, f]; }

  beginPath(): void { this.path = new PathRecorder(() => this.state.matrix); }
  moveTo(x: number, y: number): void { this.path.moveTo(x, y); }
  lineTo(x: number, y: number): void { this.path.lineTo(x, y); }
  bezierCurveTo(...a: [number, number, number, number, number, number]): void { this.path.bezierCurveTo(...a); }
  closePath(): void { this.path.closePath(); }
  rect(x: number, y: number, w: number, h: number): void { this.path.rect(x, y, w, h); }
  ellipse(...a: [number, number, number, number, number, number, number]): void { this.path.ellipse(...a); }
  /** Clipping is not compared (the SVG's clipPath is skipped the same way). */
  clip(): void {}

  private subpaths(path?: FakePath2D): Geometry[] {
    return path ? path.subpaths.map((g) => transformGeometry(this.state.matrix, g)) : this.path.subpaths.map((g) => structuredClone(g));
  }

  fill(path?: FakePath2D): void {
    this.ops.push({ op: 'fill', color: this.state.fillStyle, alpha: this.state.globalAlpha, shapes: this.subpaths(path) });
  }

  stroke(path?: FakePath2D): void {
    const s = this.state;
    this.ops.push({ op: 'stroke', color: s.strokeStyle, alpha: s.globalAlpha, width: s.lineWidth, dash: [...s.dash], cap: s.lineCap, join: s.lineJoin, shapes: this.subpaths(path) });
  }

  fillRect(x: number, y: number, w: number, h: number): void {
    const m = this.state.matrix;
    const points: Vec[] = [{ x, y }, { x: x + w, y }, { x: x + w, y: y + h }, { x, y: y + h }].map((p) => apply(m, p));
    this.ops.push({ op: 'fill', color: this.state.fillStyle, alpha: this.state.globalAlpha, shapes: [{ kind: 'poly', points, closed: true }] });
  }

  private fontParts(): { size: number; family: string } {
    const m = /^([\d.]+)px (.*)$/.exec(this.state.font);
    if (!m) throw new Error(`unexpected font ${this.state.font}`);
    return { size: Number(m[1]), family: m[2] };
  }

  fillText(text: string, x: number, y: number): void {
    if (this.state.textBaseline !== 'top') throw new Error('the painters lay text out from the top of the line box');
    const { size, family } = this.fontParts();
    const at = apply(this.state.matrix, { x, y });
    this.ops.push({ op: 'text', color: this.state.fillStyle, alpha: this.state.globalAlpha, text, at, fontSize: size, fontFamily: family, rotation: angleOf(this.state.matrix) });
  }

  measureText(text: string): { width: number } {
    return { width: this.measure(text, this.fontParts().size) };
  }
}
