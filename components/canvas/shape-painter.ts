/**
 * Paints one shape on a Canvas 2D context in board coordinates. Freehand outlines (perfect-freehand)
 * are cached per shape object: the cache is a WeakMap keyed by the immutable Shape, so a stroke is
 * re-outlined only when the shape itself changed.
 */
import { getStroke } from 'perfect-freehand';
import type { Shape, ShapeStyle, Vec } from '@/lib/board';
import { hitShape } from '@/lib/board/hit-test';
import { centerOf, localToBoard, resolveLinePoints, rotateAround, type ShapeLookup } from '@/lib/geometry/shape-geometry';

const outlineCache = new WeakMap<Shape, Path2D>();

const WHITE = [255, 255, 255] as const;
/** The dark canvas background (slate-900): dark-mode fills blend into it instead of glowing. */
const DARK_BG = [15, 23, 42] as const;

/** An opaque mix of a hex colour toward `toward` (solid fills stay readable under their outline). */
export function tint(hex: string, amount = 0.82, toward: readonly [number, number, number] = WHITE): string {
  let h = hex.slice(1);
  if (h.length <= 4) h = h.split('').map((c) => c + c).join('');
  const n = (i: number) => parseInt(h.slice(i, i + 2), 16);
  const mix = (c: number, t: number) => Math.round(c + (t - c) * amount);
  return `rgb(${mix(n(0), toward[0])}, ${mix(n(2), toward[1])}, ${mix(n(4), toward[2])})`;
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

const fillCache = new Map<string, string>();

/** The fill colour of a style; in dark mode solid fills are a deep shade, not a light pastel. */
export function fillStyle(style: ShapeStyle, dark = false): string | null {
  if (style.fill === 'none') return null;
  const key = `${style.fill}|${style.stroke}|${dark}`;
  let out = fillCache.get(key);
  if (out === undefined) {
    if (fillCache.size > 512) fillCache.clear(); // peers choose colours: keep it bounded
    if (style.fill === 'semi') out = withAlpha(style.stroke, dark ? 0.3 : 0.22);
    else out = dark ? tint(style.stroke, 0.68, DARK_BG) : tint(style.stroke);
    fillCache.set(key, out);
  }
  return out;
}

const geoCache = new WeakMap<Shape, Path2D>();

/** The outline of a geo shape on the board, rotation applied, cached per (immutable) shape object. */
export function geoPath(s: Shape): Path2D {
  const cached = geoCache.get(s);
  if (cached) return cached;
  const p = new Path2D();
  const c = centerOf(s);
  if (s.type === 'ellipse') p.ellipse(c.x, c.y, s.w / 2, s.h / 2, s.rotation, 0, Math.PI * 2);
  else {
    const corners =
      s.type === 'diamond'
        ? [{ x: c.x, y: s.y }, { x: s.x + s.w, y: c.y }, { x: c.x, y: s.y + s.h }, { x: s.x, y: c.y }]
        : [{ x: s.x, y: s.y }, { x: s.x + s.w, y: s.y }, { x: s.x + s.w, y: s.y + s.h }, { x: s.x, y: s.y + s.h }];
    corners.map((q) => rotateAround(q, c, s.rotation)).forEach((q, i) => (i === 0 ? p.moveTo(q.x, q.y) : p.lineTo(q.x, q.y)));
    p.closePath();
  }
  geoCache.set(s, p);
  return p;
}

/**
 * Shapes that may be stroked together in one path with their z-order neighbours: unfilled,
 * opaque geo shapes. Returns the style key of the batch, or null.
 */
export function batchKey(s: Shape): string | null {
  if ((s.type !== 'rect' && s.type !== 'ellipse' && s.type !== 'diamond') || s.style.fill !== 'none' || s.style.opacity !== 1) return null;
  return `${s.style.stroke}|${s.style.strokeWidth}|${s.style.dash}`;
}

/** Strokes a batch of outlines built from geoPath (see batchKey). */
export function strokeBatch(ctx: CanvasRenderingContext2D, path: Path2D, style: ShapeStyle): void {
  if (style.strokeWidth <= 0) return;
  applyStroke(ctx, style);
  ctx.stroke(path);
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

export function freehandPath(s: Extract<Shape, { type: 'freehand' }>): Path2D {
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

const ARROW_GAP = 4;

/**
 * Where the segment from `outside` to `inside` crosses the target's outline (bisection on the hit
 * test works for every shape type), pulled back by a small gap so the head stays visible.
 */
function edgePoint(target: Shape, outside: Vec, inside: Vec, lookup: ShapeLookup): Vec {
  if (hitShape(target, outside, 0, lookup) || !hitShape(target, inside, 0, lookup)) return inside;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 24; i++) {
    const mid = (lo + hi) / 2;
    if (hitShape(target, { x: outside.x + (inside.x - outside.x) * mid, y: outside.y + (inside.y - outside.y) * mid }, 0, lookup)) hi = mid;
    else lo = mid;
  }
  const len = Math.hypot(inside.x - outside.x, inside.y - outside.y);
  const t = Math.max(0, lo - (len > 0 ? ARROW_GAP / len : 0));
  return { x: outside.x + (inside.x - outside.x) * t, y: outside.y + (inside.y - outside.y) * t };
}

/** Bound arrow ends stop at their target's outline instead of its anchor inside. */
function clipBoundEnds(s: Extract<Shape, { type: 'arrow' }>, pts: Vec[], lookup: ShapeLookup): Vec[] {
  if (pts.length < 2) return pts;
  const out = [...pts];
  const endTarget = s.end ? lookup(s.end.shapeId) : null;
  if (endTarget) out[out.length - 1] = edgePoint(endTarget, pts[pts.length - 2], pts[pts.length - 1], lookup);
  const startTarget = s.start ? lookup(s.start.shapeId) : null;
  if (startTarget) out[0] = edgePoint(startTarget, pts[1], pts[0], lookup);
  return out;
}

/** Below this on-screen font size text is drawn as grey bars: unreadable anyway, and fillText is costly. */
const MIN_TEXT_PX = 4;
/** Shapes smaller than this on screen are drawn as a dot. */
const MIN_SHAPE_PX = 2;

function paintTextPlaceholder(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, w: number, fontSize: number): void {
  if (!text) return;
  ctx.fillStyle = 'rgba(100, 116, 139, 0.5)';
  const lines = Math.min(text.split('\n').length, 6);
  for (let i = 0; i < lines; i++) ctx.fillRect(x, y + i * fontSize * LINE_HEIGHT + fontSize * 0.2, w * (i === lines - 1 ? 0.6 : 1), fontSize * 0.6);
}

/** Paints one shape; `zoom` picks the level of detail, `dark` the fill shades. */
export function paintShape(ctx: CanvasRenderingContext2D, s: Shape, lookup: ShapeLookup, zoom = 1, dark = false): void {
  if (Math.max(s.w, s.h) * zoom < MIN_SHAPE_PX && s.type !== 'arrow') {
    ctx.fillStyle = s.type === 'note' ? s.color : s.style.stroke;
    ctx.fillRect(s.x, s.y, Math.max(s.w, MIN_SHAPE_PX / zoom), Math.max(s.h, MIN_SHAPE_PX / zoom));
    return;
  }
  ctx.save();
  ctx.globalAlpha = s.style.opacity;
  const rotated = s.rotation !== 0 && s.type !== 'line' && s.type !== 'arrow' && s.type !== 'rect' && s.type !== 'ellipse' && s.type !== 'diamond';
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
      const fill = fillStyle(s.style, dark);
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
      const pts = s.type === 'arrow' ? clipBoundEnds(s, resolveLinePoints(s, lookup), lookup) : resolveLinePoints(s, lookup);
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
      if (s.style.fontSize * zoom < MIN_TEXT_PX) paintTextPlaceholder(ctx, s.text, s.x, s.y, s.w, s.style.fontSize);
      else paintText(ctx, s.text, s.x, s.y, null, s.style, s.style.stroke);
      break;
    case 'note': {
      // an offset translucent rect, not shadowBlur: blur costs a lot per note on a big board
      ctx.fillStyle = 'rgba(15, 23, 42, 0.12)';
      ctx.fillRect(s.x + 2, s.y + 4, s.w, s.h);
      ctx.fillStyle = s.color;
      ctx.fillRect(s.x, s.y, s.w, s.h);
      const pad = Math.min(16, s.w / 8);
      if (s.style.fontSize * zoom < MIN_TEXT_PX) {
        paintTextPlaceholder(ctx, s.text, s.x + pad, s.y + pad, s.w - 2 * pad, s.style.fontSize);
        break;
      }
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
