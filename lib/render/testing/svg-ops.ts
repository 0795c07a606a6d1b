/**
 * Reads the SVG export (lib/io/svg.ts) back into DrawOps, one list per shape group, so it can be
 * compared with what the canvas painter drew. Understands exactly the elements the export writes:
 * rect, ellipse, polygon, polyline, path (M/L/Z), text/tspan; clipPath contents are skipped.
 */
import type { Vec } from '@/lib/board/schema';
import { angleOf, IDENTITY, multiply, rotation, transformGeometry, translation, type DrawOp, type Geometry, type Matrix } from './draw-ops';

export type SvgShape = { type: string; ops: DrawOp[] };

const GROUP = /^<g data-shape-type="([a-z]+)" opacity="([\d.]+)"(?: transform="rotate\(([-\d.e]+) ([-\d.e]+) ([-\d.e]+)\)")?>(.*)<\/g>$/;
const TAG = /<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;

function attrsOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([a-zA-Z-]+)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

const num = (v: string | undefined) => (v === undefined ? NaN : Number(v));

function unescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

function pointsAttr(v: string): Vec[] {
  return v.trim().split(/\s+/).map((pair) => {
    const [x, y] = pair.split(',').map(Number);
    return { x, y };
  });
}

function pathData(d: string): Geometry[] {
  const out: (Geometry & { kind: 'poly' })[] = [];
  for (const m of d.matchAll(/([MLZ])\s*(?:([-\d.e]+)[ ,]([-\d.e]+))?/g)) {
    if (m[1] === 'M') out.push({ kind: 'poly', points: [{ x: Number(m[2]), y: Number(m[3]) }], closed: false });
    else if (m[1] === 'L') out[out.length - 1].points.push({ x: Number(m[2]), y: Number(m[3]) });
    else out[out.length - 1].closed = true;
  }
  return out;
}

/** The geometry of one drawing element in its own coordinates, or null for anything else. */
function geometryOf(tag: string, a: Record<string, string>): Geometry[] | null {
  switch (tag) {
    case 'rect': {
      const [x, y, w, h] = [num(a.x), num(a.y), num(a.width), num(a.height)];
      return [{ kind: 'poly', points: [{ x, y }, { x: x + w, y }, { x: x + w, y: y + h }, { x, y: y + h }], closed: true }];
    }
    case 'ellipse':
      return [{ kind: 'ellipse', cx: num(a.cx), cy: num(a.cy), rx: num(a.rx), ry: num(a.ry), rotation: 0 }];
    case 'polygon':
      return [{ kind: 'poly', points: pointsAttr(a.points), closed: true }];
    case 'polyline':
      return [{ kind: 'poly', points: pointsAttr(a.points), closed: false }];
    case 'path':
      return pathData(a.d);
    default:
      return null;
  }
}

function groupOps(body: string, m: Matrix, alpha: number): DrawOp[] {
  const ops: DrawOp[] = [];
  let clipDepth = 0;
  let text: Record<string, string> | null = null;
  let span: Record<string, string> | null = null;
  for (const t of body.matchAll(TAG)) {
    const [, closing, tag, attrText, selfClosing, content] = t;
    if (content !== undefined) {
      if (span && text) {
        const at = { x: num(span.x), y: num(span.y) };
        const p = transformGeometry(m, { kind: 'poly', points: [at], closed: false });
        const point = p.kind === 'poly' ? p.points[0] : at;
        ops.push({ op: 'text', color: text.fill, alpha, text: unescape(content), at: point, fontSize: num(text['font-size']), fontFamily: text['font-family'], rotation: angleOf(m) });
        if (text['dominant-baseline'] !== 'text-before-edge') throw new Error('text must be laid out from the top of the line box');
      }
      continue;
    }
    if (tag === 'clipPath') {
      clipDepth += closing ? -1 : 1;
      continue;
    }
    if (clipDepth > 0) continue;
    const a = attrsOf(attrText);
    if (tag === 'text') text = closing ? null : a;
    else if (tag === 'tspan') span = closing ? null : a;
    if (closing || (tag !== 'text' && tag !== 'tspan' && !selfClosing && tag !== 'g')) {
      if (!closing) throw new Error(`unexpected open element <${tag}>`);
      continue;
    }
    const geometry = geometryOf(tag, a);
    if (!geometry) continue;
    const shapes = geometry.map((g) => transformGeometry(m, g));
    if (a.fill !== undefined && a.fill !== 'none') ops.push({ op: 'fill', color: a.fill, alpha, shapes });
    if (a.stroke !== undefined && a.stroke !== 'none') {
      const dash = a['stroke-dasharray'] ? a['stroke-dasharray'].split(/[\s,]+/).map(Number) : [];
      const width = num(a['stroke-width']);
      ops.push({ op: 'stroke', color: a.stroke, alpha, width, dash, cap: a['stroke-linecap'] ?? 'butt', join: a['stroke-linejoin'] ?? 'miter', shapes });
    }
  }
  return ops;
}

/** Every shape group of an exported SVG document, in document (z-) order. */
export function svgShapes(svg: string): SvgShape[] {
  const out: SvgShape[] = [];
  for (const line of svg.split('\n')) {
    const g = GROUP.exec(line);
    if (!g) continue;
    const [, type, opacity, deg, cx, cy, body] = g;
    let m: Matrix = IDENTITY;
    if (deg !== undefined) {
      const x = Number(cx);
      const y = Number(cy);
      m = multiply(multiply(translation(x, y), rotation((Number(deg) * Math.PI) / 180)), translation(-x, -y));
    }
    out.push({ type, ops: groupOps(body, m, Number(opacity)) });
  }
  return out;
}
