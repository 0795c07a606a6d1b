/**
 * Image operations (issue 17). An image shape holds the file's reference (id = SHA-256 of the bytes,
 * type, size, natural pixel size), an optional crop and alt text; never the bytes. Like every op here,
 * each call is one transaction: one undo step and one update on the wire.
 */
import { LOCAL, type Board, type Origin } from './board';
import { keyBetween } from './fractional-index';
import { addShape, newShapeId } from './ops';
import { getShape, getTopIndex } from './read';
import {
  assertValidImageFields,
  isImageCrop,
  isValidCreatedBy,
  MAX_ALT_LENGTH,
  type ImageCrop,
  type ImageFields,
  type ImageShape,
  type ShapeId,
  type Vec,
} from './schema';

/** Longest side of a new image on the board (board units): a 4000 px photo must not cover the world. */
export const DEFAULT_IMAGE_MAX_SIZE = 480;
/** Space between images added side by side. */
export const IMAGE_GAP = 24;

export type NewImage = Omit<ImageFields, 'crop' | 'alt'> & { crop?: ImageCrop | null; alt?: string };

export type AddImagesOptions = {
  /** Centre of the row of images (board units), e.g. the pointer of a drop or the view's centre. */
  center: Vec;
  createdBy: string;
  maxSize?: number;
  gap?: number;
};

/** The size an image gets on the board: its natural size, scaled down to fit `maxSize` on its longest side. */
export function fitImageSize(width: number, height: number, maxSize = DEFAULT_IMAGE_MAX_SIZE): { w: number; h: number } {
  const scale = Math.min(1, maxSize / Math.max(width, height, 1));
  return { w: Math.max(1, Math.round(width * scale)), h: Math.max(1, Math.round(height * scale)) };
}

/**
 * Adds several images in one transaction, side by side (left to right, vertically centred on
 * `center`), each scaled to fit `maxSize`, above every existing shape. Returns their ids in order.
 * Validates every input first, so a bad one writes nothing.
 */
export function addImages(board: Board, images: readonly NewImage[], options: AddImagesOptions, origin: Origin = LOCAL): ShapeId[] {
  if (!isValidCreatedBy(options.createdBy)) throw new Error('createdBy is too long');
  if (!Number.isFinite(options.center.x) || !Number.isFinite(options.center.y)) throw new Error('invalid image position');
  const gap = options.gap ?? IMAGE_GAP;
  const fields = images.map((img): ImageFields => ({ ...img, crop: img.crop ?? null, alt: img.alt ?? '' }));
  for (const f of fields) assertValidImageFields(f);
  const sizes = fields.map((f) => {
    const c = f.crop ?? { w: f.naturalWidth, h: f.naturalHeight };
    return fitImageSize(c.w, c.h, options.maxSize);
  });
  const total = sizes.reduce((sum, s) => sum + s.w, 0) + gap * Math.max(0, sizes.length - 1);
  const ids = fields.map(() => newShapeId());
  board.doc.transact(() => {
    let x = Math.round(options.center.x - total / 2);
    let top = getTopIndex(board);
    fields.forEach((image, i) => {
      const { w, h } = sizes[i];
      top = keyBetween(top, null);
      addShape(board, { id: ids[i], type: 'image', x, y: Math.round(options.center.y - h / 2), w, h, index: top, createdBy: options.createdBy, image }, origin);
      x += w + gap;
    });
  }, origin);
  return ids;
}

function imageShape(board: Board, id: ShapeId): ImageShape | null {
  const s = getShape(board, id);
  return s?.type === 'image' ? s : null;
}

/**
 * Crops an image to `crop` (natural pixels), or shows it whole with null. The shape keeps its scale
 * (board units per image pixel) and the kept part stays where it was drawn, so cropping looks like
 * cutting away the edges rather than stretching. Returns false for an unknown or non-image id.
 */
export function setImageCrop(board: Board, id: ShapeId, crop: ImageCrop | null, origin: Origin = LOCAL): boolean {
  const s = imageShape(board, id);
  if (!s) return false;
  if (crop !== null && !isImageCrop(crop, s.naturalWidth, s.naturalHeight)) throw new Error(`invalid image crop: ${JSON.stringify(crop)}`);
  const was = s.crop ?? { x: 0, y: 0, w: s.naturalWidth, h: s.naturalHeight };
  const next = crop ?? { x: 0, y: 0, w: s.naturalWidth, h: s.naturalHeight };
  const sx = s.w / was.w;
  const sy = s.h / was.h;
  // the new box's top-left in the old box's unrotated frame, turned back around the old centre
  const dx = (next.x - was.x) * sx;
  const dy = (next.y - was.y) * sy;
  const w = next.w * sx;
  const h = next.h * sy;
  const cos = Math.cos(s.rotation);
  const sin = Math.sin(s.rotation);
  const ox = dx + w / 2 - s.w / 2; // offset of the new centre from the old one, unrotated
  const oy = dy + h / 2 - s.h / 2;
  const cx = s.x + s.w / 2 + ox * cos - oy * sin;
  const cy = s.y + s.h / 2 + ox * sin + oy * cos;
  const y = board.shapes.get(id)!;
  board.doc.transact(() => {
    y.set('crop', crop === null ? null : { x: crop.x, y: crop.y, w: crop.w, h: crop.h });
    y.set('x', cx - w / 2);
    y.set('y', cy - h / 2);
    y.set('w', w);
    y.set('h', h);
  }, origin);
  return true;
}

/** Sets an image's alt text (trimmed to MAX_ALT_LENGTH). Returns false for an unknown or non-image id. */
export function setImageAlt(board: Board, id: ShapeId, alt: string, origin: Origin = LOCAL): boolean {
  if (typeof alt !== 'string') throw new Error('alt text must be a string');
  const y = board.shapes.get(id);
  if (!y || y.get('type') !== 'image') return false;
  const value = alt.slice(0, MAX_ALT_LENGTH);
  if (y.get('alt') !== value) board.doc.transact(() => y.set('alt', value), origin);
  return true;
}

/** The file ids the given shapes reference (images only), without repeats. */
export function imageFileIds(shapes: Iterable<{ type: string; fileId?: unknown }>): string[] {
  const out = new Set<string>();
  for (const s of shapes) if (s.type === 'image' && typeof s.fileId === 'string') out.add(s.fileId);
  return [...out];
}
