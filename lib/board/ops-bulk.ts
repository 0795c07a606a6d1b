/**
 * Operations on many shapes at once, for the style panel, paste and import. Each is one transaction
 * (one undo step, one update on the wire). insertShapes validates every input before writing, so a
 * bad entry writes nothing rather than half a paste.
 */
import { LOCAL, type Board, type Origin } from './board';
import { keyBetween } from './fractional-index';
import { addShape, newShapeId, type NewShape } from './ops';
import { encodeFreehandChunk, encodeLinePoints } from './ops-encode';
import { setNoteTree } from './ops-notes';
import { getShape, getTopIndex } from './read';
import type { FileId, ImageType } from '@/lib/files/file-contract';
import {
  assertValidImageFields,
  assertValidPatch,
  DEFAULT_STYLE,
  isArrowBinding,
  isValidCreatedBy,
  MAX_FREEHAND_POINTS,
  type ArrowBinding,
  type FreehandPoint,
  type ImageCrop,
  type ImageFields,
  type Shape,
  type ShapeId,
  type ShapeStyle,
  type ShapeType,
  type Vec,
} from './schema';

/** New box size of a shape after a style change (text grows with its font size), or null to keep it. */
export type FitShape = (shape: Shape) => { w: number; h: number } | null;

/**
 * Sets style fields on every given shape (unknown / deleted ids are skipped) and, through `fit`,
 * resizes shapes whose box depends on the style; all in one transaction, so one undo step.
 */
export function setShapesStyle(board: Board, ids: Iterable<ShapeId>, style: Partial<ShapeStyle>, origin: Origin = LOCAL, fit?: FitShape): number {
  assertValidPatch({ style });
  const keys = Object.keys(style) as (keyof ShapeStyle)[];
  let changed = 0;
  board.doc.transact(() => {
    for (const id of ids) {
      const y = board.shapes.get(id);
      if (!y) continue; // deleted by a peer meanwhile
      changed++;
      for (const key of keys) if (y.get(key) !== style[key]) y.set(key, style[key]);
      const shape = fit ? getShape(board, id) : null;
      const size = shape && fit ? fit(shape) : null;
      if (size) {
        assertValidPatch(size);
        for (const key of ['w', 'h'] as const) if (y.get(key) !== size[key]) y.set(key, size[key]);
      }
    }
  }, origin);
  return changed;
}

/** A shape to insert, as exported or copied: the Shape JSON form (ids are replaced on insert). */
export type ShapeInput = {
  id: string;
  type: ShapeType;
  x: number;
  y: number;
  w: number;
  h: number;
  rotation?: number;
  /** Only the relative order of the inputs matters; they land above everything. */
  index?: string;
  style?: Partial<ShapeStyle>;
  locked?: boolean;
  points?: readonly (Vec | FreehandPoint)[];
  start?: ArrowBinding | null;
  end?: ArrowBinding | null;
  text?: string;
  color?: string;
  /** note rich content as a plain tree (sanitized when written) */
  content?: readonly unknown[];
  /** image: the file reference (validated when written, like every other field) */
  fileId?: string;
  mime?: string;
  bytes?: number;
  naturalWidth?: number;
  naturalHeight?: number;
  crop?: ImageCrop | null;
  alt?: string;
};

export type InsertOptions = { offset?: Vec; createdBy: string };

/** The image fields of an input, as written; assertValidImageFields checks them before any write. */
function imageOf(s: ShapeInput): ImageFields {
  return {
    fileId: s.fileId as FileId,
    mime: s.mime as ImageType,
    bytes: s.bytes ?? -1,
    naturalWidth: s.naturalWidth ?? 0,
    naturalHeight: s.naturalHeight ?? 0,
    crop: s.crop ?? null,
    alt: s.alt ?? '',
  };
}

function byIndex(a: ShapeInput, b: ShapeInput): number {
  const ia = a.index ?? '';
  const ib = b.index ?? '';
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/**
 * Inserts copies of `inputs` with fresh ids, moved by `offset`, above every existing shape in their
 * relative order. Arrow bindings to a shape inside the set are remapped to its copy; bindings to
 * anything else are dropped (the end stays at its drawn point). Returns the new ids, in z-order.
 * Throws (writing nothing) if any input is invalid.
 */
export function insertShapes(board: Board, inputs: readonly ShapeInput[], options: InsertOptions, origin: Origin = LOCAL): ShapeId[] {
  const dx = options.offset?.x ?? 0;
  const dy = options.offset?.y ?? 0;
  if (!Number.isFinite(dx) || !Number.isFinite(dy)) throw new Error('invalid insert offset');
  if (!isValidCreatedBy(options.createdBy)) throw new Error('createdBy is too long');
  const ordered = [...inputs].sort(byIndex);
  const ids = new Map<string, ShapeId>();
  for (const s of ordered) {
    if (ids.has(s.id)) throw new Error(`duplicate shape id in input: ${s.id}`);
    ids.set(s.id, newShapeId());
  }
  const remap = (b: ArrowBinding | null | undefined): ArrowBinding | null => {
    const target = b ? ids.get(b.shapeId) : undefined;
    return b && target ? { shapeId: target, anchor: b.anchor } : null;
  };
  const prepared: { shape: NewShape; content?: readonly unknown[] }[] = ordered.map((s) => {
    const shape: NewShape = {
      id: ids.get(s.id)!,
      type: s.type,
      x: s.x + dx,
      y: s.y + dy,
      w: s.w,
      h: s.h,
      rotation: s.rotation ?? 0,
      style: { ...DEFAULT_STYLE, ...s.style },
      locked: s.locked ?? false,
      createdBy: options.createdBy,
      points: s.points,
      start: s.type === 'arrow' ? remap(s.start) : undefined,
      end: s.type === 'arrow' ? remap(s.end) : undefined,
      text: s.type === 'text' || s.type === 'note' ? (s.text ?? '') : undefined,
      color: s.type === 'note' ? s.color : undefined,
      image: s.type === 'image' ? imageOf(s) : undefined,
    };
    // the same checks addShape makes, up front: a throw inside the transaction would leave half a paste
    assertValidPatch({ x: shape.x, y: shape.y, w: shape.w, h: shape.h, rotation: shape.rotation, style: shape.style, locked: shape.locked, text: shape.text, color: shape.color });
    for (const b of [shape.start, shape.end]) if (b != null && !isArrowBinding(b)) throw new Error(`invalid arrow binding: ${JSON.stringify(b)}`);
    if (s.type === 'line' || s.type === 'arrow') encodeLinePoints((s.points as Vec[] | undefined) ?? [{ x: 0, y: 0 }, { x: s.w, y: s.h }]);
    if (s.type === 'freehand') {
      if (!s.points || s.points.length === 0 || s.points.length > MAX_FREEHAND_POINTS) throw new Error('a freehand stroke needs 1..20,000 points');
      encodeFreehandChunk(s.points as FreehandPoint[]);
    }
    if (shape.image) assertValidImageFields(shape.image);
    return { shape, content: s.type === 'note' ? s.content : undefined };
  });
  board.doc.transact(() => {
    let top = getTopIndex(board);
    for (const { shape, content } of prepared) {
      top = keyBetween(top, null);
      addShape(board, { ...shape, index: top }, origin);
      if (content) setNoteTree(board, shape.id!, content, origin);
    }
  }, origin);
  return prepared.map((p) => p.shape.id!);
}
