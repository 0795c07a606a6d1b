/**
 * SVG export built from shape data (not a screenshot): vector output that matches the canvas
 * renderer's look (same fills, dashes, arrow heads, freehand outlines). Text in notes is wrapped
 * with an estimated glyph width, since there is no layout engine here.
 */
import { getStroke } from 'perfect-freehand';
import type { Shape, ShapeStyle, Vec } from '@/lib/board';
import { centerOf, localToBoard, resolveLinePoints, shapeBounds, type ShapeLookup } from '@/lib/geometry/shape-geometry';
import { shapesBox } from './snapshot';

const FONT_FAMILY = 'ui-sans-serif, system-ui, sans-serif';
const LINE_HEIGHT = 1.25;
const PADDING = 16;

function rgb(hex: string): [number, number, number] {
  let h = hex.slice(1);
  if (h.length <= 4) h = h.split('').map((c) => c + c).join('');
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

/** The canvas renderer's fills: a light opaque tint (solid) or the stroke at 22% (semi). */
export function fillColor(style: ShapeStyle): string | null {
  const [r, g, b] = rgb(style.stroke);
  if (style.fill === 'solid') {
    const mix = (c: number) => Math.round(c + (255 - c) * 0.82);
    return `rgb(${mix(r)}, ${mix(g)}, ${mix(b)})`;
  }
  if (style.fill === 'semi') return `rgba(${r}, ${g}, ${b}, 0.22)`;
  return null;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const n = (v: number) => (Math.round(v * 100) / 100).toString();

function strokeAttrs(style: ShapeStyle): string {
  const sw = style.strokeWidth;
  let dash = '';
  if (style.dash === 'dashed') dash = ` stroke-dasharray="${n(sw * 4)} ${n(sw * 3)}"`;
  else if (style.dash === 'dotted') dash = ` stroke-dasharray="0 ${n(sw * 2.5)}"`;
  return `stroke="${style.stroke}" stroke-width="${n(sw)}" stroke-linecap="round" stroke-linejoin="round"${dash}`;
}

function wrap(text: string, maxWidth: number, fontSize: number): string[] {
  const charW = fontSize * 0.55;
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      const next = line ? `${line} ${word}` : word;
      if (line && next.length * charW > maxWidth) {
        out.push(line);
        line = word;
      } else line = next;
    }
    out.push(line);
  }
  return out;
}

function textBlock(lines: string[], x: number, y: number, fontSize: number, fill: string): string {
  const spans = lines.map((l, i) => `<tspan x="${n(x)}" y="${n(y + i * fontSize * LINE_HEIGHT)}">${esc(l)}</tspan>`).join('');
  return `<text font-family="${FONT_FAMILY}" font-size="${n(fontSize)}" fill="${fill}" dominant-baseline="text-before-edge">${spans}</text>`;
}

function arrowHead(from: Vec, to: Vec, sw: number): string {
  const angle = Math.atan2(to.y - from.y, to.x - from.x);
  const len = Math.max(10, sw * 5);
  const a = { x: to.x - len * Math.cos(angle - 0.45), y: to.y - len * Math.sin(angle - 0.45) };
  const b = { x: to.x - len * Math.cos(angle + 0.45), y: to.y - len * Math.sin(angle + 0.45) };
  return `M${n(a.x)} ${n(a.y)} L${n(to.x)} ${n(to.y)} L${n(b.x)} ${n(b.y)}`;
}

function shapeBody(s: Shape, lookup: ShapeLookup, clipId: string): string {
  const st = s.style;
  switch (s.type) {
    case 'rect':
    case 'ellipse':
    case 'diamond': {
      const fill = fillColor(st) ?? 'none';
      const stroke = st.strokeWidth > 0 ? strokeAttrs(st) : 'stroke="none"';
      if (s.type === 'rect') return `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" fill="${fill}" ${stroke}/>`;
      if (s.type === 'ellipse') return `<ellipse cx="${n(s.x + s.w / 2)}" cy="${n(s.y + s.h / 2)}" rx="${n(s.w / 2)}" ry="${n(s.h / 2)}" fill="${fill}" ${stroke}/>`;
      const pts = [
        [s.x + s.w / 2, s.y],
        [s.x + s.w, s.y + s.h / 2],
        [s.x + s.w / 2, s.y + s.h],
        [s.x, s.y + s.h / 2],
      ];
      return `<polygon points="${pts.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}" fill="${fill}" ${stroke}/>`;
    }
    case 'line':
    case 'arrow': {
      const pts = resolveLinePoints(s, lookup);
      const line = `<polyline points="${pts.map((p) => `${n(p.x)},${n(p.y)}`).join(' ')}" fill="none" ${strokeAttrs(st)}/>`;
      if (s.type === 'line' || pts.length < 2) return line;
      const head = arrowHead(pts[pts.length - 2], pts[pts.length - 1], st.strokeWidth);
      return `${line}<path d="${head}" fill="none" ${strokeAttrs({ ...st, dash: 'solid' })}/>`;
    }
    case 'freehand': {
      const pts = localToBoard({ ...s, rotation: 0 }, s.points).map((p) => [p.x, p.y, p.pressure]);
      const outline = getStroke(pts, { size: st.strokeWidth * 2.5 + 2, thinning: 0.6, smoothing: 0.5, streamline: 0.4, simulatePressure: false, last: true });
      if (outline.length === 0) return '';
      const d = outline.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${n(x)} ${n(y)}`).join(' ');
      return `<path d="${d} Z" fill="${st.stroke}"/>`;
    }
    case 'text':
      return textBlock(s.text.split('\n'), s.x, s.y, st.fontSize, st.stroke);
    case 'note': {
      const pad = Math.min(16, s.w / 8);
      return (
        `<clipPath id="${clipId}"><rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}"/></clipPath>` +
        `<rect x="${n(s.x + 2)}" y="${n(s.y + 4)}" width="${n(s.w)}" height="${n(s.h)}" fill="rgba(15, 23, 42, 0.12)"/>` +
        `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" fill="${s.color}"/>` +
        `<g clip-path="url(#${clipId})">${textBlock(wrap(s.text, s.w - 2 * pad, st.fontSize), s.x + pad, s.y + pad, st.fontSize, '#1e293b')}</g>`
      );
    }
  }
}

export type SvgOptions = { background?: string | null };

/** A standalone SVG document of `shapes` (in z-order), cropped to their bounds plus a margin. */
export function shapesToSvg(shapes: readonly Shape[], lookup: ShapeLookup, options: SvgOptions = {}): string {
  const box = shapesBox(shapes.map((s) => shapeBounds(s, lookup))) ?? { x: 0, y: 0, w: 0, h: 0 };
  const x = box.x - PADDING;
  const y = box.y - PADDING;
  const w = box.w + PADDING * 2;
  const h = box.h + PADDING * 2;
  const background = options.background === undefined ? '#ffffff' : options.background;
  const body = shapes
    .map((s, i) => {
      const rotated = s.rotation !== 0 && s.type !== 'line' && s.type !== 'arrow';
      const c = centerOf(s);
      const transform = rotated ? ` transform="rotate(${n((s.rotation * 180) / Math.PI)} ${n(c.x)} ${n(c.y)})"` : '';
      return `<g data-shape-type="${s.type}" opacity="${n(s.style.opacity)}"${transform}>${shapeBody(s, lookup, `clip-${i}`)}</g>`;
    })
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(w)}" height="${n(h)}" viewBox="${n(x)} ${n(y)} ${n(w)} ${n(h)}">`,
    background ? `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${background}"/>` : '',
    body,
    '</svg>',
  ].join('\n');
}
