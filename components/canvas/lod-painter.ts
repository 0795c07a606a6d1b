/**
 * Level of detail for a zoomed-out board. Below LOD_ZOOM a shape is a few pixels across: dashes,
 * arrowheads, text glyphs and exact z-order between differently styled shapes are not visible, but
 * 10,000 save/stroke/fill calls per frame are (they were most of a zoomed-out frame). So every
 * visible shape is appended to one Path2D per colour, and the frame is a dozen fill/stroke calls:
 * fills first, then outlines, then grey bars where text is. Z-order is kept within each pass.
 */
import type { ImageShape, Shape } from '@/lib/board';
import { localToBoard, resolveLinePoints, type ShapeLookup } from '@/lib/board/shape-geometry';
import { fillColor, LINE_CAP, LINE_HEIGHT, LINE_JOIN, notePadding, TEXT_BAR_COLOR } from '@/lib/render/style';
import { currentImageSource, freehandPath, geoPath, imageScreenPx, paintImage } from './shape-painter';

/** At or below this zoom the board is drawn simplified. */
export const LOD_ZOOM = 0.3;

const MAX_TEXT_BARS = 3;

type Bucket = { path: Path2D; color: string; alpha: number; width: number };

class Buckets {
  private byKey = new Map<string, Bucket>();

  get(color: string, alpha: number, width = 0): Path2D {
    const key = `${color}|${alpha}|${width}`;
    let b = this.byKey.get(key);
    if (!b) this.byKey.set(key, (b = { path: new Path2D(), color, alpha, width }));
    return b.path;
  }

  fill(ctx: CanvasRenderingContext2D): void {
    for (const b of this.byKey.values()) {
      ctx.globalAlpha = b.alpha;
      ctx.fillStyle = b.color;
      ctx.fill(b.path);
    }
  }

  stroke(ctx: CanvasRenderingContext2D): void {
    for (const b of this.byKey.values()) {
      ctx.globalAlpha = b.alpha;
      ctx.strokeStyle = b.color;
      ctx.lineWidth = b.width;
      ctx.stroke(b.path);
    }
  }
}

function addPolyline(path: Path2D, pts: readonly { x: number; y: number }[]): void {
  pts.forEach((p, i) => (i === 0 ? path.moveTo(p.x, p.y) : path.lineTo(p.x, p.y)));
}

function addTextBars(path: Path2D, text: string, x: number, y: number, w: number, h: number, fontSize: number): void {
  if (!text) return;
  const lines = Math.min(MAX_TEXT_BARS, text.split('\n').length, Math.max(1, Math.floor(h / (fontSize * LINE_HEIGHT))));
  for (let i = 0; i < lines; i++) path.rect(x, y + i * fontSize * LINE_HEIGHT + fontSize * 0.2, w * (i === lines - 1 ? 0.6 : 1), fontSize * 0.6);
}

/**
 * Draws `shapes` (bottom to top, already themed) simplified. `dim` shapes (under the eraser) are
 * drawn faint. The context must already carry the camera transform.
 */
export function paintSimplified(ctx: CanvasRenderingContext2D, shapes: readonly Shape[], lookup: ShapeLookup, zoom: number, dark: boolean, dim: ReadonlySet<string>): void {
  const fills = new Buckets();
  const strokes = new Buckets();
  const text = new Path2D();
  const images: ImageShape[] = [];
  const hairline = 1 / zoom; // at least one device pixel wide, or thin outlines vanish
  for (const s of shapes) {
    const alpha = dim.has(s.id) ? s.style.opacity * 0.3 : s.style.opacity;
    const width = Math.max(s.style.strokeWidth, hairline);
    switch (s.type) {
      case 'rect':
      case 'ellipse':
      case 'diamond': {
        const fill = fillColor(s.style, dark);
        if (fill) fills.get(fill, alpha).addPath(geoPath(s));
        if (s.style.strokeWidth > 0) strokes.get(s.style.stroke, alpha, width).addPath(geoPath(s));
        break;
      }
      case 'line':
      case 'arrow':
        addPolyline(strokes.get(s.style.stroke, alpha, width), resolveLinePoints(s, lookup));
        break;
      case 'freehand':
        // the cached outline when there is one; a bare polyline is cheaper than outlining now
        if (Math.max(s.w, s.h) * zoom < 8) addPolyline(strokes.get(s.style.stroke, alpha, width), localToBoard(s, s.points));
        else fills.get(s.style.stroke, alpha).addPath(freehandPath(s));
        break;
      case 'text':
        if (s.rotation === 0) addTextBars(text, s.text, s.x, s.y, s.w, s.h, s.style.fontSize);
        break;
      case 'note': {
        fills.get(s.color, alpha).addPath(geoPath(s)); // the card, rotated like the shape
        const pad = notePadding(s.w);
        if (s.rotation === 0) addTextBars(text, s.text, s.x + pad, s.y + pad, s.w - 2 * pad, s.h - 2 * pad, s.style.fontSize);
        break;
      }
      case 'image':
        // one drawImage each (a bitmap cannot join a path); the smallest variant at this zoom
        images.push(s);
        break;
    }
  }
  ctx.save();
  ctx.lineJoin = LINE_JOIN;
  ctx.lineCap = LINE_CAP;
  ctx.setLineDash([]);
  fills.fill(ctx);
  if (images.length > 0) paintImages(ctx, images, zoom, dark, dim);
  strokes.stroke(ctx);
  ctx.globalAlpha = 1;
  ctx.fillStyle = TEXT_BAR_COLOR;
  ctx.fill(text);
  ctx.restore();
}

function paintImages(ctx: CanvasRenderingContext2D, images: readonly ImageShape[], zoom: number, dark: boolean, dim: ReadonlySet<string>): void {
  const source = currentImageSource();
  for (const s of images) {
    ctx.save();
    ctx.globalAlpha = dim.has(s.id) ? s.style.opacity * 0.3 : s.style.opacity;
    if (s.rotation !== 0) {
      const cx = s.x + s.w / 2;
      const cy = s.y + s.h / 2;
      ctx.translate(cx, cy);
      ctx.rotate(s.rotation);
      ctx.translate(-cx, -cy);
    }
    paintImage(ctx, s, zoom, dark, source(s, imageScreenPx(s, zoom)));
    ctx.restore();
  }
}
