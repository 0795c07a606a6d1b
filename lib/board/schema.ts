/**
 * The board document layout and its validators. Every Y.Doc that holds a board looks like this:
 *
 *   doc.getMap('meta')    Y.Map   { schemaVersion: number, createdAt: number (ms since epoch) }
 *   doc.getMap('shapes')  Y.Map<ShapeId, Y.Map>   one Y.Map per shape, so that two users editing
 *                         different properties of one shape (say colour and position) both win.
 *
 * A shape's Y.Map holds flat fields (no nested maps, so each style field merges on its own):
 *   id, type, x, y, w, h, rotation, index, createdBy, stroke, fill, strokeWidth, opacity
 * plus per-type fields as new shape types arrive (see SHAPE_TYPES).
 * `index` is a fractional-index key (fractional-index.ts): z-order is the string order of `index`
 * (ties broken by id), so reordering never moves entries in a Y.Array.
 *
 * Anything read from a peer is untrusted: parseShape returns null for a malformed shape, and the
 * readers skip it instead of crashing.
 */
import { isIndexKey } from './fractional-index';

export const SCHEMA_VERSION = 1;

/** Shape ids are opaque URL-safe strings; the brand stops mixing them up with board ids. */
export type ShapeId = string & { readonly __brand: 'ShapeId' };

const SHAPE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isShapeId(value: unknown): value is ShapeId {
  return typeof value === 'string' && SHAPE_ID_PATTERN.test(value);
}

/** Shape types stored today. Next: 'ellipse' | 'diamond' | 'line' | 'arrow' | 'freehand' | 'text' | 'note'. */
export const SHAPE_TYPES = ['rect'] as const;
export type ShapeType = (typeof SHAPE_TYPES)[number];

export type ShapeStyle = {
  /** CSS colour of the outline. */
  stroke: string;
  /** CSS colour of the interior, or 'transparent'. */
  fill: string;
  strokeWidth: number;
  /** 0..1 */
  opacity: number;
};

/** Fields every shape has; a shape type adds its own on top (as a type alias so it stays JSON-like). */
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
  /** Display name of the user who created it (informational, not trusted). */
  createdBy: string;
};

export type RectShape = BaseShape & { type: 'rect' };

/** Discriminated on `type`; add a member per new shape type. */
export type Shape = RectShape;

export const DEFAULT_STYLE: ShapeStyle = { stroke: '#1e293b', fill: 'transparent', strokeWidth: 2, opacity: 1 };

/** Coordinates beyond this are treated as corrupt (they would also break float precision). */
export const MAX_COORD = 1e7;
export const MAX_STROKE_WIDTH = 100;
const MAX_NAME_LENGTH = 64;
const COLOR_PATTERN = /^(#[0-9a-fA-F]{3,8}|transparent)$/;

export function isColor(value: unknown): value is string {
  return typeof value === 'string' && COLOR_PATTERN.test(value);
}

function isCoord(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_COORD;
}

function isSize(value: unknown): value is number {
  return isCoord(value) && value >= 0;
}

function isShapeType(value: unknown): value is ShapeType {
  return typeof value === 'string' && (SHAPE_TYPES as readonly string[]).includes(value);
}

/** Read-only view of a shape's Y.Map (or a plain record in tests): only `get` is needed. */
export type FieldSource = { get(key: string): unknown };

export function parseStyle(src: FieldSource): ShapeStyle | null {
  const stroke = src.get('stroke');
  const fill = src.get('fill');
  const strokeWidth = src.get('strokeWidth');
  const opacity = src.get('opacity');
  if (!isColor(stroke) || !isColor(fill)) return null;
  if (typeof strokeWidth !== 'number' || !(strokeWidth >= 0 && strokeWidth <= MAX_STROKE_WIDTH)) return null;
  if (typeof opacity !== 'number' || !(opacity >= 0 && opacity <= 1)) return null;
  return { stroke, fill, strokeWidth, opacity };
}

/**
 * Parses one stored shape. `id` is the key under which it is stored; a mismatching `id` field is
 * treated as corrupt. Returns null (never throws) for anything malformed.
 */
export function parseShape(id: string, src: FieldSource): Shape | null {
  if (!isShapeId(id) || src.get('id') !== id) return null;
  const type = src.get('type');
  if (!isShapeType(type)) return null;
  const x = src.get('x');
  const y = src.get('y');
  const w = src.get('w');
  const h = src.get('h');
  const rotation = src.get('rotation');
  const index = src.get('index');
  const createdBy = src.get('createdBy');
  if (!isCoord(x) || !isCoord(y) || !isSize(w) || !isSize(h)) return null;
  if (typeof rotation !== 'number' || !Number.isFinite(rotation)) return null;
  if (!isIndexKey(index)) return null;
  if (typeof createdBy !== 'string' || createdBy.length > MAX_NAME_LENGTH) return null;
  const style = parseStyle(src);
  if (!style) return null;
  switch (type) {
    case 'rect':
      return { id, type, x, y, w, h, rotation, index, style, createdBy };
  }
}

/** The editable geometry and style of a shape, as accepted by updateShape. */
export type ShapePatch = Partial<Pick<BaseShape, 'x' | 'y' | 'w' | 'h' | 'rotation' | 'index'>> & {
  style?: Partial<ShapeStyle>;
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
  const style = patch.style;
  if (style) {
    const merged = { ...DEFAULT_STYLE, ...style };
    if (!parseStyle({ get: (k) => merged[k as keyof ShapeStyle] })) {
      throw new Error(`invalid shape style: ${JSON.stringify(style)}`);
    }
  }
}

export function isValidCreatedBy(value: string): boolean {
  return value.length <= MAX_NAME_LENGTH;
}
