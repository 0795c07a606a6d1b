/**
 * The board document layout, its types and validators. Every Y.Doc that holds a board looks like this:
 *
 *   doc.getMap('meta')    Y.Map   { schemaVersion: number, createdAt: number (ms since epoch) }
 *   doc.getMap('shapes')  Y.Map<ShapeId, Y.Map>   one Y.Map per shape, so that two users editing
 *                         different properties of one shape (say colour and position) both win.
 *
 * A shape's Y.Map holds flat fields (no nested maps, so each field merges on its own):
 *   all types   id, type, x, y, w, h, rotation, index, createdBy, locked,
 *               stroke, fill, strokeWidth, dash, opacity, fontSize            (the style fields)
 *   line        points: number[]  flat [x0, y0, x1, y1, …], >= 2 points
 *   arrow       points as line, plus start / end: { shapeId, anchor: {x, y} } | null — the binding of
 *               that end, stored on the arrow only (one owner of the fact); `anchor` is normalised
 *               0..1 in the target's unrotated box. The bound end's point in `points` is its last
 *               known position, used when the target is gone.
 *   freehand    points: Y.Array<number[]>  chunks appended while drawing (a pointer move sends one
 *               small chunk, never the whole stroke); a chunk is flat [x, y, p, x, y, p, …] of
 *               integers: x, y in 1/FREEHAND_SCALE units, pressure p in 0..100.
 *   text        text: string (plain)
 *   note        color: string; content: Y.XmlFragment (rich text; Tiptap binds to it, see getNoteFragment)
 *   image       fileId (SHA-256 hex of the bytes, lib/files/file-contract.ts), mime, bytes,
 *               naturalWidth, naturalHeight (pixels of the full image), crop: {x, y, w, h} in natural
 *               pixels | null, alt: string. Only the reference: the bytes live in the file store.
 *
 * Geometry: (x, y, w, h) is the shape's box in board units; `rotation` (radians, clockwise) turns it
 * around its centre. Point lists are in a local frame whose bounding box is stretched onto the box,
 * so moving rewrites x/y only and resizing rewrites x/y/w/h only (never the points).
 * `index` is a fractional-index key (fractional-index.ts): z-order is the string order of `index`
 * (ties broken by id), so reordering never moves entries in a Y.Array.
 *
 * Anything read from a peer is untrusted: parseShape (parse-shape.ts) returns null for a malformed
 * shape, and the readers skip it instead of crashing.
 *
 * v1 -> v2 (migrations.ts): `fill` went from a CSS colour to a mode; dash, fontSize, locked added.
 * v2 -> v3: the `image` type (nothing to lift; the version tells older clients they are older).
 */
import type { Vec } from '@/lib/geometry/vec';
import { IMAGE_TYPES, isFileId, type FileId, type ImageType } from '@/lib/files/file-contract';
import { isIndexKey } from './fractional-index';

export const SCHEMA_VERSION = 3;

/** Shape ids are opaque URL-safe strings; the brand stops mixing them up with board ids. */
export type ShapeId = string & { readonly __brand: 'ShapeId' };

const SHAPE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isShapeId(value: unknown): value is ShapeId {
  return typeof value === 'string' && SHAPE_ID_PATTERN.test(value);
}

export const SHAPE_TYPES = ['rect', 'ellipse', 'diamond', 'line', 'arrow', 'freehand', 'text', 'note', 'image'] as const;
export type ShapeType = (typeof SHAPE_TYPES)[number];
/** Types drawn as a box outline (geo shapes). */
export type GeoType = 'rect' | 'ellipse' | 'diamond';

export const FILL_MODES = ['none', 'solid', 'semi'] as const;
export type FillMode = (typeof FILL_MODES)[number];
export const DASH_STYLES = ['solid', 'dashed', 'dotted'] as const;
export type DashStyle = (typeof DASH_STYLES)[number];

export type ShapeStyle = {
  /** CSS hex colour of the outline (fills are tinted from it). */
  stroke: string;
  fill: FillMode;
  strokeWidth: number;
  dash: DashStyle;
  /** 0..1 */
  opacity: number;
  /** Board units; used by text and notes. */
  fontSize: number;
};

export type { Vec };

/** Fields every shape has; a shape type adds its own on top (type aliases, so shapes stay JSON-like). */
export type BaseShape = {
  id: ShapeId;
  type: ShapeType;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Radians, clockwise, around the shape's centre. */
  rotation: number;
  index: string;
  style: ShapeStyle;
  /** Locked shapes are not selected by clicks or marquee and refuse transforms until unlocked. */
  locked: boolean;
  /** Display name of the user who created it (informational, not trusted). */
  createdBy: string;
};

export type ArrowBinding = { shapeId: ShapeId; anchor: Vec };
export type FreehandPoint = { x: number; y: number; pressure: number };

export type GeoShape = BaseShape & { type: GeoType };
export type LineShape = BaseShape & { type: 'line'; points: Vec[] };
export type ArrowShape = BaseShape & { type: 'arrow'; points: Vec[]; start: ArrowBinding | null; end: ArrowBinding | null };
export type FreehandShape = BaseShape & { type: 'freehand'; points: FreehandPoint[] };
export type TextShape = BaseShape & { type: 'text'; text: string };
/** `text` is a plain-text rendering of the note's rich content (read-only; edit the fragment). */
export type NoteShape = BaseShape & { type: 'note'; color: string; text: string };

/** A part of an image in its natural pixels (x, y from the top-left corner). */
export type ImageCrop = { x: number; y: number; w: number; h: number };
/** The fields an image shape adds; the document holds the file's reference, never its bytes. */
export type ImageFields = {
  fileId: FileId;
  mime: ImageType;
  bytes: number;
  naturalWidth: number;
  naturalHeight: number;
  crop: ImageCrop | null;
  alt: string;
};
export type ImageShape = BaseShape & { type: 'image' } & ImageFields;

/** Discriminated on `type`. */
export type Shape = GeoShape | LineShape | ArrowShape | FreehandShape | TextShape | NoteShape | ImageShape;

export const DEFAULT_STYLE: ShapeStyle = { stroke: '#1e293b', fill: 'none', strokeWidth: 2, dash: 'solid', opacity: 1, fontSize: 20 };
export const STYLE_KEYS = ['stroke', 'fill', 'strokeWidth', 'dash', 'opacity', 'fontSize'] as const;
export const DEFAULT_NOTE_COLOR = '#fde68a';

/** Coordinates beyond this are treated as corrupt (they would also break float precision). */
export const MAX_COORD = 1e7;
export const MAX_STROKE_WIDTH = 100;
export const MIN_FONT_SIZE = 4;
export const MAX_FONT_SIZE = 512;
export const MAX_TEXT_LENGTH = 20_000;
export const MAX_LINE_POINTS = 1_000;
export const MAX_FREEHAND_POINTS = 20_000;
/** Freehand coordinates are stored as integers in 1/FREEHAND_SCALE board units. */
export const FREEHAND_SCALE = 10;
export const MAX_NAME_LENGTH = 64;
export const MAX_ALT_LENGTH = 1_000;
/** Larger than any image the server accepts (DEFAULT_MAX_IMAGE_PIXELS is 10,000 x 10,000). */
export const MAX_IMAGE_SIDE = 1_000_000;
export const MAX_IMAGE_BYTES = 2 ** 40;
const COLOR_PATTERN = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

export function isColor(value: unknown): value is string {
  return typeof value === 'string' && COLOR_PATTERN.test(value);
}

export function isCoord(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_COORD;
}

export function isSize(value: unknown): value is number {
  return isCoord(value) && value >= 0;
}

export function isShapeType(value: unknown): value is ShapeType {
  return typeof value === 'string' && (SHAPE_TYPES as readonly string[]).includes(value);
}

function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

/** Read-only view of a shape's Y.Map (or a plain record in tests): only `get` is needed. */
export type FieldSource = { get(key: string): unknown };

/**
 * Reads the style fields. Fields added in v2 fall back to defaults when absent (a v1 shape not yet
 * migrated still renders), and a v1 colour fill reads as a mode; anything present but invalid fails.
 */
export function parseStyle(src: FieldSource): ShapeStyle | null {
  const stroke = src.get('stroke');
  let fill = src.get('fill');
  const strokeWidth = src.get('strokeWidth');
  const dash = src.get('dash') ?? DEFAULT_STYLE.dash;
  const opacity = src.get('opacity');
  const fontSize = src.get('fontSize') ?? DEFAULT_STYLE.fontSize;
  if (fill === 'transparent') fill = 'none';
  else if (isColor(fill)) fill = 'solid';
  if (!isColor(stroke) || !isOneOf(FILL_MODES, fill) || !isOneOf(DASH_STYLES, dash)) return null;
  if (typeof strokeWidth !== 'number' || !(strokeWidth >= 0 && strokeWidth <= MAX_STROKE_WIDTH)) return null;
  if (typeof opacity !== 'number' || !(opacity >= 0 && opacity <= 1)) return null;
  if (typeof fontSize !== 'number' || !(fontSize >= MIN_FONT_SIZE && fontSize <= MAX_FONT_SIZE)) return null;
  return { stroke, fill, strokeWidth, dash, opacity, fontSize };
}

function isImageSide(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_IMAGE_SIDE;
}

/** A crop inside an image of the given natural size, at least one pixel each way. */
export function isImageCrop(value: unknown, naturalWidth: number, naturalHeight: number): value is ImageCrop {
  if (typeof value !== 'object' || value === null) return false;
  const { x, y, w, h } = value as Record<string, unknown>;
  if (![x, y, w, h].every((v) => typeof v === 'number' && Number.isFinite(v))) return false;
  const [cx, cy, cw, ch] = [x, y, w, h] as number[];
  return cx >= 0 && cy >= 0 && cw >= 1 && ch >= 1 && cx + cw <= naturalWidth + 1e-6 && cy + ch <= naturalHeight + 1e-6;
}

/** Reads the image fields of a stored shape (untrusted), or null if any is malformed. */
export function parseImageFields(src: FieldSource): ImageFields | null {
  const fileId = src.get('fileId');
  const mime = src.get('mime');
  const bytes = src.get('bytes');
  const naturalWidth = src.get('naturalWidth');
  const naturalHeight = src.get('naturalHeight');
  const crop = src.get('crop') ?? null;
  const alt = src.get('alt') ?? '';
  if (!isFileId(fileId) || !isOneOf(IMAGE_TYPES, mime)) return null;
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 0 || bytes > MAX_IMAGE_BYTES) return null;
  if (!isImageSide(naturalWidth) || !isImageSide(naturalHeight)) return null;
  if (typeof alt !== 'string' || alt.length > MAX_ALT_LENGTH) return null;
  // a bad crop is dropped, not fatal: the whole image still renders
  const validCrop = crop !== null && isImageCrop(crop, naturalWidth, naturalHeight) ? { x: crop.x, y: crop.y, w: crop.w, h: crop.h } : null;
  return { fileId, mime, bytes, naturalWidth, naturalHeight, crop: validCrop, alt };
}

/** Throws on image fields a local caller got wrong (the same rules parseImageFields applies). */
export function assertValidImageFields(fields: ImageFields): void {
  const parsed = parseImageFields({ get: (k) => fields[k as keyof ImageFields] });
  if (!parsed) throw new Error(`invalid image fields: ${JSON.stringify(fields)}`);
  if (fields.crop !== null && parsed.crop === null) throw new Error(`invalid image crop: ${JSON.stringify(fields.crop)}`);
}

export function isArrowBinding(value: unknown): value is ArrowBinding {
  if (typeof value !== 'object' || value === null) return false;
  const { shapeId, anchor } = value as { shapeId?: unknown; anchor?: unknown };
  if (!isShapeId(shapeId) || typeof anchor !== 'object' || anchor === null) return false;
  const { x, y } = anchor as { x?: unknown; y?: unknown };
  return typeof x === 'number' && typeof y === 'number' && x >= 0 && x <= 1 && y >= 0 && y <= 1;
}

/** The editable fields of a shape, as accepted by updateShape (points have their own ops). */
export type ShapePatch = Partial<Pick<BaseShape, 'x' | 'y' | 'w' | 'h' | 'rotation' | 'index' | 'locked'>> & {
  style?: Partial<ShapeStyle>;
  text?: string;
  color?: string;
};

/** Validates a local patch before it is written; throws with a clear message (a local bug, not peer data). */
export function assertValidPatch(patch: ShapePatch): void {
  for (const key of ['x', 'y'] as const) {
    if (patch[key] !== undefined && !isCoord(patch[key])) throw new Error(`invalid shape ${key}: ${patch[key]}`);
  }
  for (const key of ['w', 'h'] as const) {
    if (patch[key] !== undefined && !isSize(patch[key])) throw new Error(`invalid shape ${key}: ${patch[key]}`);
  }
  if (patch.rotation !== undefined && !Number.isFinite(patch.rotation)) throw new Error('invalid shape rotation');
  if (patch.index !== undefined && !isIndexKey(patch.index)) throw new Error(`invalid index key: ${patch.index}`);
  if (patch.locked !== undefined && typeof patch.locked !== 'boolean') throw new Error('invalid locked flag');
  if (patch.text !== undefined && (typeof patch.text !== 'string' || patch.text.length > MAX_TEXT_LENGTH)) {
    throw new Error('invalid text (a string of at most 20,000 characters)');
  }
  if (patch.color !== undefined && !isColor(patch.color)) throw new Error(`invalid note colour: ${patch.color}`);
  const style = patch.style;
  if (style) {
    const merged = { ...DEFAULT_STYLE, ...style };
    // legacy colour fills are read from peers but never written
    if (!isOneOf(FILL_MODES, merged.fill) || !parseStyle({ get: (k) => merged[k as keyof ShapeStyle] })) {
      throw new Error(`invalid shape style: ${JSON.stringify(style)}`);
    }
  }
}

export function isValidCreatedBy(value: string): boolean {
  return value.length <= MAX_NAME_LENGTH;
}
