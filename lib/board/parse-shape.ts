/** Parsing one stored shape (untrusted: written by any peer) into the typed Shape. Never throws. */
import * as Y from 'yjs';
import { isIndexKey } from './fractional-index';
import {
  FREEHAND_SCALE,
  isArrowBinding,
  isColor,
  isCoord,
  isShapeId,
  isShapeType,
  isSize,
  MAX_FREEHAND_POINTS,
  MAX_LINE_POINTS,
  MAX_NAME_LENGTH,
  MAX_TEXT_LENGTH,
  parseImageFields,
  parseStyle,
  type BaseShape,
  type FieldSource,
  type FreehandPoint,
  type Shape,
  type Vec,
} from './schema';

/** A flat [x0, y0, x1, y1, …] list of 2..MAX_LINE_POINTS points, or null. */
function parseLinePoints(value: unknown): Vec[] | null {
  if (!Array.isArray(value) || value.length % 2 !== 0 || value.length < 4 || value.length > MAX_LINE_POINTS * 2) return null;
  const out: Vec[] = [];
  for (let i = 0; i < value.length; i += 2) {
    const x = value[i];
    const y = value[i + 1];
    if (!isCoord(x) || !isCoord(y)) return null;
    out.push({ x, y });
  }
  return out;
}

/** Decodes freehand chunks; a malformed chunk is skipped (one bad append must not hide the stroke). */
function parseFreehandPoints(value: unknown): FreehandPoint[] | null {
  if (!(value instanceof Y.Array)) return null;
  const out: FreehandPoint[] = [];
  for (const chunk of value.toArray() as unknown[]) {
    if (!Array.isArray(chunk) || chunk.length % 3 !== 0) continue;
    if (!chunk.every((n) => typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= 1e9)) continue;
    for (let i = 0; i < chunk.length && out.length < MAX_FREEHAND_POINTS; i += 3) {
      const p = chunk[i + 2] as number;
      out.push({ x: (chunk[i] as number) / FREEHAND_SCALE, y: (chunk[i + 1] as number) / FREEHAND_SCALE, pressure: Math.min(1, Math.max(0, p / 100)) });
    }
  }
  return out.length > 0 ? out : null;
}

/** Plain text of a note's rich content: one line per block, marks dropped. */
export function fragmentText(fragment: Y.XmlFragment): string {
  const lines: string[] = [];
  const inline = (node: Y.XmlElement | Y.XmlText | Y.XmlHook): string => {
    if (node instanceof Y.XmlText) {
      return (node.toDelta() as { insert?: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');
    }
    if (node instanceof Y.XmlElement) return node.toArray().map(inline).join('');
    return '';
  };
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlElement && child.toArray().some((c) => c instanceof Y.XmlElement)) {
      // a list or quote: one line per nested block
      for (const nested of child.toArray()) lines.push(inline(nested));
    } else lines.push(inline(child));
  }
  return lines.join('\n').slice(0, MAX_TEXT_LENGTH);
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
  const locked = src.get('locked') ?? false;
  if (!isCoord(x) || !isCoord(y) || !isSize(w) || !isSize(h)) return null;
  if (typeof rotation !== 'number' || !Number.isFinite(rotation)) return null;
  if (!isIndexKey(index)) return null;
  if (typeof createdBy !== 'string' || createdBy.length > MAX_NAME_LENGTH) return null;
  if (typeof locked !== 'boolean') return null;
  const style = parseStyle(src);
  if (!style) return null;
  const base: Omit<BaseShape, 'type'> = { id, x, y, w, h, rotation, index, style, locked, createdBy };
  switch (type) {
    case 'rect':
    case 'ellipse':
    case 'diamond':
      return { ...base, type };
    case 'line': {
      const points = parseLinePoints(src.get('points'));
      return points ? { ...base, type, points } : null;
    }
    case 'arrow': {
      const points = parseLinePoints(src.get('points'));
      const start = src.get('start') ?? null;
      const end = src.get('end') ?? null;
      // a bad binding is dropped, not fatal: the arrow still renders from its points
      return points
        ? { ...base, type, points, start: isArrowBinding(start) ? start : null, end: isArrowBinding(end) ? end : null }
        : null;
    }
    case 'freehand': {
      const points = parseFreehandPoints(src.get('points'));
      return points ? { ...base, type, points } : null;
    }
    case 'text': {
      const text = src.get('text');
      return typeof text === 'string' && text.length <= MAX_TEXT_LENGTH ? { ...base, type, text } : null;
    }
    case 'note': {
      const color = src.get('color');
      const content = src.get('content');
      if (!isColor(color)) return null;
      return { ...base, type, color, text: content instanceof Y.XmlFragment ? fragmentText(content) : '' };
    }
    case 'image': {
      const fields = parseImageFields(src);
      return fields ? { ...base, type, ...fields } : null;
    }
  }
}
