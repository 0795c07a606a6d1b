/**
 * Paints one shape on a Canvas 2D context in board coordinates. Everything about how a style looks
 * (colours, fills, dashes, fonts, outlines, arrow paths and heads) comes from lib/render, which the
 * SVG export uses too; this file only turns it into canvas calls. Path2D objects are cached per
 * (immutable) shape object.
 */
import type { ImageShape, Shape, ShapeStyle } from '@/lib/board';
import { centerOf, type ShapeLookup } from '@/lib/board/shape-geometry';
import { arrowHeadOf, linePath } from '@/lib/render/arrowheads';
import { freehandOutline, geoOutline, rotatesAsBlock } from '@/lib/render/outlines';
import {
  dashArray, fillColor, fontFor, LINE_CAP, LINE_HEIGHT, LINE_JOIN, lineTop, NOTE_SHADOW, SOLID_DASH, TEXT_BAR_COLOR, textColor, textFrame,
  wrapLines,
} from '@/lib/render/style';

function applyStroke(ctx: CanvasRenderingContext2D, style: ShapeStyle): void {
  ctx.strokeStyle = style.stroke;
  ctx.lineWidth = style.strokeWidth;
  ctx.lineJoin = LINE_JOIN;
  ctx.lineCap = LINE_CAP;
  ctx.setLineDash(dashArray(style) as number[]); // setLineDash copies; the cached array is never mutated
}

const geoCache = new WeakMap<Shape, Path2D>();

/** The outline of a geo shape (or a note's card) on the board, rotation applied, as a cached Path2D. */
export function geoPath(s: Shape): Path2D {
  const cached = geoCache.get(s);
  if (cached) return cached;
  const p = new Path2D();
  const o = geoOutline(s);
  if (o.kind === 'ellipse') p.ellipse(o.cx, o.cy, o.rx, o.ry, o.rotation, 0, Math.PI * 2);
  else {
    o.points.forEach((q, i) => (i === 0 ? p.moveTo(q.x, q.y) : p.lineTo(q.x, q.y)));
    p.closePath();
  }
  geoCache.set(s, p);
  return p;
}

// per style object (shapes are immutable), so a frame builds no key strings for unchanged shapes
const batchKeys = new WeakMap<ShapeStyle, string>();

/**
 * Shapes that may be stroked together in one path with their z-order neighbours: unfilled,
 * opaque geo shapes. Returns the style key of the batch, or null.
 */
export function batchKey(s: Shape): string | null {
  if ((s.type !== 'rect' && s.type !== 'ellipse' && s.type !== 'diamond') || s.style.fill !== 'none' || s.style.opacity !== 1) return null;
  let key = batchKeys.get(s.style);
  if (key === undefined) batchKeys.set(s.style, (key = `${s.style.stroke}|${s.style.strokeWidth}|${s.style.dash}`));
  return key;
}

/** Strokes a batch of outlines built from geoPath (see batchKey). */
export function strokeBatch(ctx: CanvasRenderingContext2D, path: Path2D, style: ShapeStyle): void {
  if (style.strokeWidth <= 0) return;
  applyStroke(ctx, style);
  ctx.stroke(path);
}

function paintText(ctx: CanvasRenderingContext2D, s: Extract<Shape, { type: 'text' | 'note' }>): void {
  const { x, y, maxWidth } = textFrame(s);
  const fontSize = s.style.fontSize;
  ctx.font = fontFor(fontSize);
  ctx.textBaseline = 'top';
  ctx.fillStyle = textColor(s);
  const lines = wrapLines(s.text, maxWidth, (line) => ctx.measureText(line).width);
  for (let i = 0; i < lines.length; i++) ctx.fillText(lines[i], x, lineTop(y, i, fontSize));
}

const outlineCache = new WeakMap<Shape, Path2D>();

export function freehandPath(s: Extract<Shape, { type: 'freehand' }>): Path2D {
  const cached = outlineCache.get(s);
  if (cached) return cached;
  const path = new Path2D();
  freehandOutline(s).forEach(([x, y], i) => (i === 0 ? path.moveTo(x, y) : path.lineTo(x, y)));
  path.closePath();
  outlineCache.set(s, path);
  return path;
}

/** Below this on-screen font size text is drawn as grey bars: unreadable anyway, and fillText is costly. */
const MIN_TEXT_PX = 4;
/** Shapes smaller than this on screen are drawn as a dot. */
const MIN_SHAPE_PX = 2;

function paintTextPlaceholder(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, w: number, fontSize: number): void {
  if (!text) return;
  ctx.fillStyle = TEXT_BAR_COLOR;
  const lines = Math.min(text.split('\n').length, 6);
  for (let i = 0; i < lines; i++) ctx.fillRect(x, y + i * fontSize * LINE_HEIGHT + fontSize * 0.2, w * (i === lines - 1 ? 0.6 : 1), fontSize * 0.6);
}

/** What the painter has for an image: a decoded bitmap (or null: placeholder) and a failed upload's reason. */
export type ImageView = { bitmap: ImageBitmap | null; failed: boolean };
/** Finds the bitmap to draw for an image `screenPx` device pixels on its longest side. Must be O(1). */
export type ImageSource = (s: ImageShape, screenPx: number) => ImageView;

const NO_IMAGES: ImageSource = () => ({ bitmap: null, failed: false });
let imageSource: ImageSource = NO_IMAGES;

/** The canvas view installs the file service's bitmaps here (components/files); null restores placeholders. */
export function setImageSource(source: ImageSource | null): void {
  imageSource = source ?? NO_IMAGES;
}

export function currentImageSource(): ImageSource {
  return imageSource;
}

const PLACEHOLDER = { light: { fill: '#e2e8f0', ink: '#64748b' }, dark: { fill: '#334155', ink: '#94a3b8' } };
const FAILED_INK = '#dc2626';
export const UPLOAD_FAILED_TEXT = 'Upload failed — retry';

/** A picture glyph (frame, sun, mountains) centred in the box, `size` board units wide. */
function imageGlyph(ctx: CanvasRenderingContext2D, cx: number, cy: number, size: number): void {
  const h = size * 0.75;
  const x = cx - size / 2;
  const y = cy - h / 2;
  ctx.strokeRect(x, y, size, h);
  ctx.beginPath();
  ctx.arc(x + size * 0.7, y + h * 0.3, size * 0.08, 0, Math.PI * 2);
  ctx.moveTo(x, y + h);
  ctx.lineTo(x + size * 0.35, y + h * 0.45);
  ctx.lineTo(x + size * 0.6, y + h * 0.75);
  ctx.lineTo(x + size * 0.75, y + h * 0.6);
  ctx.lineTo(x + size, y + h);
  ctx.stroke();
}

/**
 * Paints an image in its unrotated box (the caller turned the context): the bitmap's crop stretched
 * onto the box, or a placeholder of the same size while the bytes are missing. A failed upload is
 * drawn over in red with "Upload failed — retry" (the retry is in the selection actions).
 */
export function paintImage(ctx: CanvasRenderingContext2D, s: ImageShape, zoom: number, dark: boolean, view: ImageView): void {
  const { bitmap, failed } = view;
  if (bitmap) {
    const c = s.crop ?? { x: 0, y: 0, w: s.naturalWidth, h: s.naturalHeight };
    // a variant is the natural image scaled down: crop coordinates scale with it
    const kx = bitmap.width / s.naturalWidth;
    const ky = bitmap.height / s.naturalHeight;
    ctx.drawImage(bitmap, c.x * kx, c.y * ky, Math.max(1e-3, c.w * kx), Math.max(1e-3, c.h * ky), s.x, s.y, s.w, s.h);
    if (!failed) return;
  } else {
    ctx.fillStyle = dark ? PLACEHOLDER.dark.fill : PLACEHOLDER.light.fill;
    ctx.fillRect(s.x, s.y, s.w, s.h);
  }
  const ink = failed ? FAILED_INK : dark ? PLACEHOLDER.dark.ink : PLACEHOLDER.light.ink;
  ctx.strokeStyle = ink;
  ctx.lineWidth = (failed ? 3 : 1) / zoom;
  ctx.setLineDash(SOLID_DASH as number[]);
  ctx.strokeRect(s.x, s.y, s.w, s.h);
  const glyph = Math.min(s.w, s.h) * 0.3;
  if (!bitmap && glyph * zoom >= 8) {
    ctx.lineWidth = 1.5 / zoom;
    imageGlyph(ctx, s.x + s.w / 2, s.y + s.h / 2 - glyph * 0.25, glyph);
  }
  const fontSize = Math.min(14 / zoom, s.h / 5, s.w / 10);
  if (fontSize * zoom < MIN_TEXT_PX + 4) return;
  ctx.font = fontFor(fontSize);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const label = failed ? UPLOAD_FAILED_TEXT : 'Loading';
  if (failed) {
    const w = ctx.measureText(label).width + fontSize;
    ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
    ctx.fillRect(s.x + s.w / 2 - w / 2, s.y + s.h - fontSize * 2.2, w, fontSize * 1.6);
  }
  ctx.fillStyle = ink;
  ctx.fillText(label, s.x + s.w / 2, failed ? s.y + s.h - fontSize * 1.4 : s.y + s.h / 2 + glyph * 0.5 + fontSize);
  ctx.textAlign = 'start';
}

/** Device pixels an image spans on its longest side at this zoom (for the variant pick). */
export function imageScreenPx(s: ImageShape, zoom: number): number {
  return Math.max(s.w, s.h) * zoom * (globalThis.devicePixelRatio || 1);
}

/** Paints one shape; `zoom` picks the level of detail, `dark` the fill shades, `images` the bitmaps. */
export function paintShape(ctx: CanvasRenderingContext2D, s: Shape, lookup: ShapeLookup, zoom = 1, dark = false, images: ImageSource = imageSource): void {
  if (Math.max(s.w, s.h) * zoom < MIN_SHAPE_PX && s.type !== 'arrow') {
    ctx.fillStyle = s.type === 'note' ? s.color : s.type === 'image' ? PLACEHOLDER.light.ink : s.style.stroke;
    ctx.fillRect(s.x, s.y, Math.max(s.w, MIN_SHAPE_PX / zoom), Math.max(s.h, MIN_SHAPE_PX / zoom));
    return;
  }
  ctx.save();
  ctx.globalAlpha = s.style.opacity;
  if (rotatesAsBlock(s)) {
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
      const fill = fillColor(s.style, dark);
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
      // a canvas ignores lineWidth = 0 (it would keep the last width); the SVG draws nothing
      if (s.style.strokeWidth <= 0) break;
      const pts = linePath(s, lookup);
      applyStroke(ctx, s.style);
      ctx.beginPath();
      for (let i = 0; i < pts.length; i++) {
        if (i === 0) ctx.moveTo(pts[i].x, pts[i].y);
        else ctx.lineTo(pts[i].x, pts[i].y);
      }
      ctx.stroke();
      const head = arrowHeadOf(s, pts);
      if (head) {
        ctx.setLineDash(SOLID_DASH as number[]);
        ctx.beginPath();
        ctx.moveTo(head[0].x, head[0].y);
        ctx.lineTo(head[1].x, head[1].y);
        ctx.lineTo(head[2].x, head[2].y);
        ctx.stroke();
      }
      break;
    }
    case 'freehand':
      ctx.fillStyle = s.style.stroke;
      ctx.fill(freehandPath(s));
      break;
    case 'text':
      if (s.style.fontSize * zoom < MIN_TEXT_PX) paintTextPlaceholder(ctx, s.text, s.x, s.y, s.w, s.style.fontSize);
      else paintText(ctx, s);
      break;
    case 'note': {
      ctx.fillStyle = NOTE_SHADOW.color;
      ctx.fillRect(s.x + NOTE_SHADOW.dx, s.y + NOTE_SHADOW.dy, s.w, s.h);
      ctx.fillStyle = s.color;
      ctx.fillRect(s.x, s.y, s.w, s.h);
      if (s.style.fontSize * zoom < MIN_TEXT_PX) {
        const f = textFrame(s);
        paintTextPlaceholder(ctx, s.text, f.x, f.y, f.maxWidth ?? s.w, s.style.fontSize);
        break;
      }
      ctx.save();
      ctx.beginPath();
      ctx.rect(s.x, s.y, s.w, s.h);
      ctx.clip();
      paintText(ctx, s);
      ctx.restore();
      break;
    }
    case 'image':
      paintImage(ctx, s, zoom, dark, images(s, imageScreenPx(s, zoom)));
      break;
  }
  ctx.restore();
}

/** Width and height of plain text at a style's font size (for sizing text shapes). */
export function measureText(ctx: CanvasRenderingContext2D, text: string, fontSize: number): { w: number; h: number } {
  ctx.save();
  ctx.font = fontFor(fontSize);
  const lines = text.split('\n');
  const w = Math.max(fontSize / 2, ...lines.map((l) => ctx.measureText(l).width));
  ctx.restore();
  return { w: Math.ceil(w), h: Math.ceil(lines.length * fontSize * LINE_HEIGHT) };
}
