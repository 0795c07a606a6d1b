/**
 * Paints one shape on a Canvas 2D context in board coordinates. Freehand outlines (perfect-freehand)
 * are cached per shape object: the cache is a WeakMap keyed by the immutable Shape, so a stroke is
 * re-outlined only when the shape itself changed.
 */
import { getStroke } from 'perfect-freehand';
import type { Shape, ShapeStyle } from '@/lib/board';
import { centerOf, localToBoard, resolveLinePoints, type ShapeLookup } from '@/lib/geometry/shape-geometry';

const outlineCache = new WeakMap<Shape, Path2D>();

/** A light, opaque tint of a hex colour (solid fills stay readable under their outline). */
export function tint(hex: string, amount = 0.82): string {
  let h = hex.slice(1);
  if (h.length <= 4) h = h.split('').map((c) => c + c).join('');
  const n = (i: number) => parseInt(h.slice(i, i + 2), 16);
  const mix = (c: number) => Math.round(c + (255 - c) * amount);
  return `rgb(${mix(n(0))}, ${mix(n(2))}, ${mix(n(4))})`;
}

function withAlpha(hex: string, alpha: number): string {
  let h = hex.slice(1);
  if (h.length <= 4) h = h.split('').map((c) => c + c).join('');
  return `rgba(${parseInt(h.slice(0, 2), 16)}, ${parseInt(h.slice(2, 4), 16)}, ${parseInt(h.slice(4, 6), 16)}, ${alpha})`;
}

function applyStroke(ctx: CanvasRenderingContext2D, style: ShapeStyle): void {
  const sw = style.strokeWidth;
  ctx.strokeStyle = style.stroke;
  ctx.lineWidth = sw;
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  if (style.dash === 'dashed') ctx.setLineDash([sw * 4, sw * 3]);
  else if (style.dash === 'dotted') ctx.setLineDash([0, sw * 2.5]);
  else ctx.setLineDash([]);
}

function fillStyle(style: ShapeStyle): string | null {
  if (style.fill === 'solid') return tint(style.stroke);
  if (style.fill === 'semi') return withAlpha(style.stroke, 0.22);
  return null;
}

function geoPath(s: Shape): Path2D {
  const p = new Path2D();
  if (s.type === 'ellipse') p.ellipse(s.x + s.w / 2, s.y + s.h / 2, s.w / 2, s.h / 2, 0, 0, Math.PI * 2);
  else if (s.type === 'diamond') {
    p.moveTo(s.x + s.w / 2, s.y);
    p.lineTo(s.x + s.w, s.y + s.h / 2);
    p.lineTo(s.x + s.w / 2, s.y + s.h);
    p.lineTo(s.x, s.y + s.h / 2);
    p.closePath();
  } else p.rect(s.x, s.y, s.w, s.h);
  return p;
}

function wrapLines(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      const next = line ? `${line} ${word}` : word;
      if (line && ctx.measureText(next).width > maxWidth) {
        out.push(line);
        line = word;
      } else line = next;
    }
    out.push(line);
  }
  return out;
}

export const FONT_FAMILY = 'ui-sans-serif, system-ui, sans-serif';
export const LINE_HEIGHT = 1.25;

function paintText(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, maxWidth: number | null, style: ShapeStyle, color: string): void {
  ctx.font = `${style.fontSize}px ${FONT_FAMILY}`;
  ctx.textBaseline = 'top';
  ctx.fillStyle = color;
  const lines = maxWidth === null ? text.split('\n') : wrapLines(ctx, text, maxWidth);
  lines.forEach((line, i) => ctx.fillText(line, x, y + i * style.fontSize * LINE_HEIGHT));
}

function paintArrowHead(ctx: CanvasRenderingContext2D, from: { x: number; y: number }, to: { x: number; y: number }, sw: number): void {
  const angle = Math.atan2(to.y - from.y, to.x - from.x);
  const len = Math.max(10, sw * 5);
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.moveTo(to.x - len * Math.cos(angle - 0.45), to.y - len * Math.sin(angle - 0.45));
  ctx.lineTo(to.x, to.y);
  ctx.lineTo(to.x - len * Math.cos(angle + 0.45), to.y - len * Math.sin(angle + 0.45));
  ctx.stroke();
}

function freehandPath(s: Extract<Shape, { type: 'freehand' }>): Path2D {
  const cached = outlineCache.get(s);
  if (cached) return cached;
  // outline in the local frame, then stretched onto the box like any point list
  const pts = localToBoard({ ...s, rotation: 0 }, s.points).map((p) => [p.x, p.y, p.pressure]);
  const outline = getStroke(pts, { size: s.style.strokeWidth * 2.5 + 2, thinning: 0.6, smoothing: 0.5, streamline: 0.4, simulatePressure: false, last: true });
  const path = new Path2D();
  outline.forEach(([x, y], i) => (i === 0 ? path.moveTo(x, y) : path.lineTo(x, y)));
  path.closePath();
  outlineCache.set(s, path);
  return path;
}

export function paintShape(ctx: CanvasRenderingContext2D, s: Shape, lookup: ShapeLookup): void {
  ctx.save();
  ctx.globalAlpha = s.style.opacity;
  const rotated = s.rotation !== 0 && s.type !== 'line' && s.type !== 'arrow';
  if (rotated) {
    const c = centerOf(s);
    ctx.translate(c.x, c.y);
    ctx.rotate(s.rotation);
    ctx.translate(-c.x, -c.y);
  }
  switch (s.type) {
    case 'rect':
    case 'ellipse':
    case 'diamond': {
      const path = geoPath(s);
      const fill = fillStyle(s.style);
      if (fill) {
        ctx.fillStyle = fill;
        ctx.fill(path);
      }
      if (s.style.strokeWidth > 0) {
        applyStroke(ctx, s.style);
        ctx.stroke(path);
      }
      break;
    }
    case 'line':
    case 'arrow': {
      const pts = resolveLinePoints(s, lookup);
      applyStroke(ctx, s.style);
      ctx.beginPath();
      pts.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
      ctx.stroke();
      if (s.type === 'arrow' && pts.length >= 2) paintArrowHead(ctx, pts[pts.length - 2], pts[pts.length - 1], s.style.strokeWidth);
      break;
    }
    case 'freehand':
      ctx.fillStyle = s.style.stroke;
      ctx.fill(freehandPath(s));
      break;
    case 'text':
      paintText(ctx, s.text, s.x, s.y, null, s.style, s.style.stroke);
      break;
    case 'note': {
      ctx.shadowColor = 'rgba(15, 23, 42, 0.18)';
      ctx.shadowBlur = 8;
      ctx.shadowOffsetY = 3;
      ctx.fillStyle = s.color;
      ctx.fillRect(s.x, s.y, s.w, s.h);
      ctx.shadowColor = 'transparent';
      const pad = Math.min(16, s.w / 8);
      ctx.save();
      ctx.beginPath();
      ctx.rect(s.x, s.y, s.w, s.h);
      ctx.clip();
      paintText(ctx, s.text, s.x + pad, s.y + pad, s.w - 2 * pad, s.style, '#1e293b');
      ctx.restore();
      break;
    }
  }
  ctx.restore();
}

/** Width and height of plain text at a style's font size (for sizing text shapes). */
export function measureText(ctx: CanvasRenderingContext2D, text: string, fontSize: number): { w: number; h: number } {
  ctx.save();
  ctx.font = `${fontSize}px ${FONT_FAMILY}`;
  const lines = text.split('\n');
  const w = Math.max(fontSize / 2, ...lines.map((l) => ctx.measureText(l).width));
  ctx.restore();
  return { w: Math.ceil(w), h: Math.ceil(lines.length * fontSize * LINE_HEIGHT) };
}
