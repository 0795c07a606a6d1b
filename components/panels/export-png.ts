/** PNG export: the shapes drawn by the canvas renderer's own painter into an offscreen canvas at 2x. */
import { paintShape, type ImageSource } from '@/components/canvas/shape-painter';
import { exportBitmap } from '@/components/files/file-service';
import { imageFileIds, type Shape } from '@/lib/board';
import type { FileId } from '@/lib/files/file-contract';
import { shapeBounds, type ShapeLookup } from '@/lib/board/shape-geometry';
import { shapesBox } from '@/lib/io/snapshot';

const SCALE = 2;
const PADDING = 16;
/** Browsers refuse canvases much past this many pixels per side. */
const MAX_SIDE = 16_384;

/** Full-size bitmaps of the shapes' images (closed by the caller); missing files stay placeholders. */
async function loadImages(shapes: readonly Shape[]): Promise<Map<string, ImageBitmap>> {
  const out = new Map<string, ImageBitmap>();
  for (const id of imageFileIds(shapes) as FileId[]) {
    const bitmap = await exportBitmap(id);
    if (bitmap) out.set(id, bitmap);
  }
  return out;
}

export async function shapesToPng(shapes: readonly Shape[], lookup: ShapeLookup): Promise<Blob> {
  const bitmaps = await loadImages(shapes);
  try {
    const images: ImageSource = (s) => ({ bitmap: bitmaps.get(s.fileId) ?? null, failed: false });
    return await drawPng(shapes, lookup, images);
  } finally {
    for (const b of bitmaps.values()) b.close();
  }
}

function drawPng(shapes: readonly Shape[], lookup: ShapeLookup, images: ImageSource): Promise<Blob> {
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
  for (const s of shapes) paintShape(ctx, s, lookup, scale, false, images);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'));
}
