/**
 * SVG export built from shape data (not a screenshot). How things look comes from lib/render, the
 * module the canvas painter uses too, so the export matches the screen: same fills, dashes, fonts,
 * freehand outlines, arrow paths (bound ends clipped at their targets) and arrowheads.
 * components/canvas/render-parity.test.ts checks that shape by shape. Text in notes is wrapped with
 * an estimated glyph width, since there is no layout engine here.
 */
import type { Shape, ShapeStyle, Vec } from '@/lib/board';
import { centerOf, shapeBounds, type ShapeLookup } from '@/lib/board/shape-geometry';
import { arrowHeadOf, linePath } from '@/lib/render/arrowheads';
import { freehandOutline, polygonCorners, rotatesAsBlock } from '@/lib/render/outlines';
import {
  dashArray, ESTIMATED_CHAR_WIDTH, fillColor, FONT_FAMILY, LINE_CAP, LINE_JOIN, lineTop, NOTE_SHADOW, textColor, textFrame, wrapLines,
} from '@/lib/render/style';
import { shapesBox } from './snapshot';

const PADDING = 16;

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const n = (v: number) => (Math.round(v * 100) / 100).toString();
const pointList = (pts: readonly Vec[]) => pts.map((p) => `${n(p.x)},${n(p.y)}`).join(' ');

function strokeAttrs(style: ShapeStyle, dashed = true): string {
  const dash = dashed ? dashArray(style) : [];
  const dashAttr = dash.length > 0 ? ` stroke-dasharray="${dash.map(n).join(' ')}"` : '';
  return `stroke="${style.stroke}" stroke-width="${n(style.strokeWidth)}" stroke-linecap="${LINE_CAP}" stroke-linejoin="${LINE_JOIN}"${dashAttr}`;
}

function textBlock(s: Extract<Shape, { type: 'text' | 'note' }>): string {
  const { x, y, maxWidth } = textFrame(s);
  const fontSize = s.style.fontSize;
  const lines = wrapLines(s.text, maxWidth, (line) => line.length * fontSize * ESTIMATED_CHAR_WIDTH);
  const spans = lines.map((l, i) => `<tspan x="${n(x)}" y="${n(lineTop(y, i, fontSize))}">${esc(l)}</tspan>`).join('');
  return `<text font-family="${FONT_FAMILY}" font-size="${n(fontSize)}" fill="${textColor(s)}" dominant-baseline="text-before-edge">${spans}</text>`;
}

/** The shape's elements; geo shapes and text are drawn unrotated (the group turns them, see rotation()). */
/**
 * An image as a nested <svg> whose viewBox is the crop (natural pixels), so the kept part fills the
 * box; the bytes come in as a data: URL (an export must stand alone: no token-protected URLs).
 * Without bytes it is a grey placeholder of the same size.
 */
function imageBody(s: Extract<Shape, { type: 'image' }>, href: string | undefined): string {
  const alt = s.alt ? `<title>${esc(s.alt)}</title>` : '';
  if (!href || !/^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]*$/.test(href)) {
    return `${alt}<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" fill="#e2e8f0" stroke="#94a3b8"/>`;
  }
  const c = s.crop ?? { x: 0, y: 0, w: s.naturalWidth, h: s.naturalHeight };
  return (
    `<svg x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" viewBox="${n(c.x)} ${n(c.y)} ${n(c.w)} ${n(c.h)}" preserveAspectRatio="none">${alt}` +
    `<image width="${s.naturalWidth}" height="${s.naturalHeight}" preserveAspectRatio="none" href="${href}"/></svg>`
  );
}

function shapeBody(s: Shape, lookup: ShapeLookup, clipId: string, options: SvgOptions): string {
  const st = s.style;
  switch (s.type) {
    case 'rect':
    case 'ellipse':
    case 'diamond': {
      const fill = fillColor(st) ?? 'none';
      const stroke = st.strokeWidth > 0 ? strokeAttrs(st) : 'stroke="none"';
      if (s.type === 'rect') return `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" fill="${fill}" ${stroke}/>`;
      if (s.type === 'ellipse') return `<ellipse cx="${n(s.x + s.w / 2)}" cy="${n(s.y + s.h / 2)}" rx="${n(s.w / 2)}" ry="${n(s.h / 2)}" fill="${fill}" ${stroke}/>`;
      return `<polygon points="${pointList(polygonCorners(s))}" fill="${fill}" ${stroke}/>`;
    }
    case 'line':
    case 'arrow': {
      if (st.strokeWidth <= 0) return ''; // invisible, as on the canvas
      const pts = linePath(s, lookup);
      const line = `<polyline points="${pointList(pts)}" fill="none" ${strokeAttrs(st)}/>`;
      const head = arrowHeadOf(s, pts);
      if (!head) return line;
      const d = `M${n(head[0].x)} ${n(head[0].y)} L${n(head[1].x)} ${n(head[1].y)} L${n(head[2].x)} ${n(head[2].y)}`;
      return `${line}<path d="${d}" fill="none" ${strokeAttrs(st, false)}/>`;
    }
    case 'freehand': {
      const outline = freehandOutline(s);
      if (outline.length === 0) return '';
      const d = outline.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${n(x)} ${n(y)}`).join(' ');
      return `<path d="${d} Z" fill="${st.stroke}"/>`;
    }
    case 'text':
      return textBlock(s);
    case 'note':
      return (
        `<clipPath id="${clipId}"><rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}"/></clipPath>` +
        `<rect x="${n(s.x + NOTE_SHADOW.dx)}" y="${n(s.y + NOTE_SHADOW.dy)}" width="${n(s.w)}" height="${n(s.h)}" fill="${NOTE_SHADOW.color}"/>` +
        `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" fill="${s.color}"/>` +
        `<g clip-path="url(#${clipId})">${textBlock(s)}</g>`
      );
    case 'image':
      return imageBody(s, options.imageHref?.(s.fileId));
  }
}

/** The group's rotation: every shape but a line or arrow is drawn unrotated and turned about its centre. */
function rotation(s: Shape): string {
  const turned = rotatesAsBlock(s) || (s.rotation !== 0 && (s.type === 'rect' || s.type === 'ellipse' || s.type === 'diamond'));
  if (!turned) return '';
  const c = centerOf(s);
  // degrees to 1e-6: 0.01° would move a corner 1,000 units from the centre by 0.17 units
  const deg = Math.round(((s.rotation * 180) / Math.PI) * 1e6) / 1e6;
  return ` transform="rotate(${deg} ${n(c.x)} ${n(c.y)})"`;
}

export type SvgOptions = {
  background?: string | null;
  /** An image file's bytes as a data: URL (images without one are drawn as placeholders). */
  imageHref?: (fileId: string) => string | undefined;
};

/** A standalone SVG document of `shapes` (in z-order), cropped to their bounds plus a margin. */
export function shapesToSvg(shapes: readonly Shape[], lookup: ShapeLookup, options: SvgOptions = {}): string {
  const box = shapesBox(shapes.map((s) => shapeBounds(s, lookup))) ?? { x: 0, y: 0, w: 0, h: 0 };
  const x = box.x - PADDING;
  const y = box.y - PADDING;
  const w = box.w + PADDING * 2;
  const h = box.h + PADDING * 2;
  const background = options.background === undefined ? '#ffffff' : options.background;
  const body = shapes
    .map((s, i) => `<g data-shape-type="${s.type}" opacity="${n(s.style.opacity)}"${rotation(s)}>${shapeBody(s, lookup, `clip-${i}`, options)}</g>`)
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(w)}" height="${n(h)}" viewBox="${n(x)} ${n(y)} ${n(w)} ${n(h)}">`,
    background ? `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${background}"/>` : '',
    body,
    '</svg>',
  ].join('\n');
}
