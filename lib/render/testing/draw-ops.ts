/**
 * A renderer-neutral record of what got drawn, for comparing the canvas painter with the SVG
 * export (components/canvas/render-parity.test.ts): every fill, stroke and text run with its
 * colour, width, dash, alpha and geometry in board coordinates (transforms applied).
 */
import type { Vec } from '@/lib/board/schema';

export type Geometry =
  | { kind: 'poly'; points: Vec[]; closed: boolean }
  | { kind: 'ellipse'; cx: number; cy: number; rx: number; ry: number; rotation: number };

export type DrawOp =
  | { op: 'fill'; color: string; alpha: number; shapes: Geometry[] }
  | { op: 'stroke'; color: string; alpha: number; width: number; dash: number[]; cap: string; join: string; shapes: Geometry[] }
  | { op: 'text'; color: string; alpha: number; text: string; at: Vec; fontSize: number; fontFamily: string; rotation: number };

/** A 2D affine matrix [a, b, c, d, e, f], as canvas and SVG use. */
export type Matrix = readonly [number, number, number, number, number, number];
export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

export function rotation(angle: number): Matrix {
  return [Math.cos(angle), Math.sin(angle), -Math.sin(angle), Math.cos(angle), 0, 0];
}

export function translation(x: number, y: number): Matrix {
  return [1, 0, 0, 1, x, y];
}

export function apply(m: Matrix, p: Vec): Vec {
  return { x: m[0] * p.x + m[2] * p.y + m[4], y: m[1] * p.x + m[3] * p.y + m[5] };
}

/** The rotation a (rigid) matrix turns by. */
export function angleOf(m: Matrix): number {
  return Math.atan2(m[1], m[0]);
}

export function transformGeometry(m: Matrix, g: Geometry): Geometry {
  if (g.kind === 'poly') return { kind: 'poly', points: g.points.map((p) => apply(m, p)), closed: g.closed };
  const c = apply(m, { x: g.cx, y: g.cy });
  return { kind: 'ellipse', cx: c.x, cy: c.y, rx: g.rx, ry: g.ry, rotation: g.rotation + angleOf(m) };
}

const TOLERANCE = 0.01;

function near(a: number, b: number, path: string, out: string[]): void {
  if (!(Math.abs(a - b) <= TOLERANCE)) out.push(`${path}: ${a} vs ${b}`);
}

function sameAngle(a: number, b: number, path: string, out: string[]): void {
  const d = Math.atan2(Math.sin(a - b), Math.cos(a - b));
  if (!(Math.abs(d) <= 1e-4)) out.push(`${path}: angle ${a} vs ${b}`);
}

function diffGeometry(a: Geometry, b: Geometry, path: string, out: string[]): void {
  if (a.kind !== b.kind) return void out.push(`${path}: ${a.kind} vs ${b.kind}`);
  if (a.kind === 'ellipse' && b.kind === 'ellipse') {
    near(a.cx, b.cx, `${path}.cx`, out);
    near(a.cy, b.cy, `${path}.cy`, out);
    near(a.rx, b.rx, `${path}.rx`, out);
    near(a.ry, b.ry, `${path}.ry`, out);
    sameAngle(a.rotation, b.rotation, `${path}.rotation`, out);
    return;
  }
  if (a.kind !== 'poly' || b.kind !== 'poly') return;
  if (a.closed !== b.closed) out.push(`${path}.closed: ${a.closed} vs ${b.closed}`);
  if (a.points.length !== b.points.length) return void out.push(`${path}: ${a.points.length} points vs ${b.points.length}`);
  a.points.forEach((p, i) => {
    near(p.x, b.points[i].x, `${path}[${i}].x`, out);
    near(p.y, b.points[i].y, `${path}[${i}].y`, out);
  });
}

/** Every difference between two op lists (points within 0.01 board units), as readable lines. */
export function diffOps(canvas: readonly DrawOp[], svg: readonly DrawOp[]): string[] {
  const out: string[] = [];
  const kinds = (ops: readonly DrawOp[]) => ops.map((o) => o.op).join(',');
  if (canvas.length !== svg.length) return [`ops: canvas [${kinds(canvas)}] vs svg [${kinds(svg)}]`];
  canvas.forEach((a, i) => {
    const b = svg[i];
    const at = `op ${i} (${a.op})`;
    if (a.op !== b.op) return void out.push(`${at}: vs ${b.op}`);
    if (a.color !== b.color) out.push(`${at}.color: ${a.color} vs ${b.color}`);
    near(a.alpha, b.alpha, `${at}.alpha`, out);
    if (a.op === 'stroke' && b.op === 'stroke') {
      near(a.width, b.width, `${at}.width`, out);
      if (a.dash.length !== b.dash.length) out.push(`${at}.dash: [${a.dash}] vs [${b.dash}]`);
      else a.dash.forEach((d, j) => near(d, b.dash[j], `${at}.dash[${j}]`, out));
      if (a.cap !== b.cap || a.join !== b.join) out.push(`${at}.cap/join: ${a.cap}/${a.join} vs ${b.cap}/${b.join}`);
    }
    if (a.op === 'text' && b.op === 'text') {
      if (a.text !== b.text) out.push(`${at}.text: ${JSON.stringify(a.text)} vs ${JSON.stringify(b.text)}`);
      near(a.at.x, b.at.x, `${at}.x`, out);
      near(a.at.y, b.at.y, `${at}.y`, out);
      near(a.fontSize, b.fontSize, `${at}.fontSize`, out);
      if (a.fontFamily !== b.fontFamily) out.push(`${at}.fontFamily: ${a.fontFamily} vs ${b.fontFamily}`);
      sameAngle(a.rotation, b.rotation, `${at}.rotation`, out);
    }
    if ((a.op === 'fill' || a.op === 'stroke') && (b.op === 'fill' || b.op === 'stroke')) {
      if (a.shapes.length !== b.shapes.length) out.push(`${at}: ${a.shapes.length} subpaths vs ${b.shapes.length}`);
      else a.shapes.forEach((g, j) => diffGeometry(g, b.shapes[j], `${at}.shapes[${j}]`, out));
    }
  });
  return out;
}
