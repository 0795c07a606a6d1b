/** PNG export: the shapes drawn by the canvas renderer's own painter into an offscreen canvas at 2x. */
import { paintShape } from '@/components/canvas/shape-painter';
import type { Shape } from '@/lib/board';
import { shapeBounds, type ShapeLookup } from '@/lib/board/shape-geometry';
import { shapesBox } from '@/lib/io/snapshot';

const SCALE = 2;
const PADDING = 16;
/** Browsers refuse canvases much past this many pixels per side. */
const MAX_SIDE = 16_384;

export function shapesToPng(shapes: readonly Shape[], lookup: ShapeLookup): Promise<Blob> {
  const box = shapesBox(shapes.map((s) => shapeBounds(s, lookup))) ?? { x: 0, y: 0, w: 0, h: 0 };
  const w = box.w + PADDING * 2;
  const h = box.h + PADDING * 2;
  const scale = Math.min(SCALE, MAX_SIDE / Math.max(w, h, 1));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.ceil(w * scale));
  canvas.height = Math.max(1, Math.ceil(h * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.reject(new Error('no 2D canvas context'));
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(scale, 0, 0, scale, (PADDING - box.x) * scale, (PADDING - box.y) * scale);
  for (const s of shapes) paintShape(ctx, s, lookup, scale);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'));
}
