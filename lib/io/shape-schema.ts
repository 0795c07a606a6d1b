/**
 * The JSON form of shapes in files and on the clipboard (untrusted: any file, any app's clipboard),
 * validated with zod. It is the `Shape` type of lib/board plus a note's rich `content` tree; limits
 * are the document's own (schema.ts), so anything that validates here can be inserted.
 */
import { z } from 'zod';
import { FILE_ID_PATTERN, IMAGE_TYPES } from '@/lib/files/file-contract';
import {
  DASH_STYLES,
  FILL_MODES,
  isColor,
  MAX_COORD,
  MAX_FONT_SIZE,
  MAX_FREEHAND_POINTS,
  MAX_LINE_POINTS,
  MAX_STROKE_WIDTH,
  MAX_ALT_LENGTH,
  MAX_IMAGE_SIDE,
  MAX_TEXT_LENGTH,
  MIN_FONT_SIZE,
  type ShapeInput,
} from '@/lib/board';

const coord = z.number().min(-MAX_COORD).max(MAX_COORD);
const size = z.number().min(0).max(MAX_COORD);
const color = z.string().refine(isColor, { message: 'expected a hex colour like #1e293b' });
const unit = z.number().min(0).max(1);

export const styleSchema = z.object({
  stroke: color,
  fill: z.enum(FILL_MODES),
  strokeWidth: z.number().min(0).max(MAX_STROKE_WIDTH),
  dash: z.enum(DASH_STYLES),
  opacity: unit,
  fontSize: z.number().min(MIN_FONT_SIZE).max(MAX_FONT_SIZE),
});

const vec = z.object({ x: coord, y: coord });
const binding = z.object({ shapeId: z.string().min(1).max(128), anchor: z.object({ x: unit, y: unit }) }).nullable().optional();

const base = {
  id: z.string().min(1).max(128),
  x: coord,
  y: coord,
  w: size,
  h: size,
  rotation: z.number().optional(),
  index: z.string().max(256).optional(),
  style: styleSchema,
  locked: z.boolean().optional(),
  createdBy: z.string().optional(),
};

export const shapeSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.enum(['rect', 'ellipse', 'diamond']) }),
  z.object({ ...base, type: z.literal('line'), points: z.array(vec).min(2).max(MAX_LINE_POINTS) }),
  z.object({ ...base, type: z.literal('arrow'), points: z.array(vec).min(2).max(MAX_LINE_POINTS), start: binding, end: binding }),
  z.object({
    ...base,
    type: z.literal('freehand'),
    points: z.array(z.object({ x: coord, y: coord, pressure: unit })).min(1).max(MAX_FREEHAND_POINTS),
  }),
  z.object({ ...base, type: z.literal('text'), text: z.string().max(MAX_TEXT_LENGTH) }),
  z.object({
    ...base,
    type: z.literal('note'),
    color,
    text: z.string().max(MAX_TEXT_LENGTH).optional(),
    // sanitized by setNoteTree when written; only its outer shape is checked here
    content: z.array(z.unknown()).max(5_000).optional(),
  }),
  z.object({
    ...base,
    type: z.literal('image'),
    fileId: z.string().regex(FILE_ID_PATTERN, { message: 'expected a file id (64 lower-case hex digits)' }),
    mime: z.enum(IMAGE_TYPES),
    bytes: z.number().int().min(0),
    naturalWidth: z.number().int().min(1).max(MAX_IMAGE_SIDE),
    naturalHeight: z.number().int().min(1).max(MAX_IMAGE_SIDE),
    // checked against the natural size when written (assertValidImageFields)
    crop: z.object({ x: z.number().min(0), y: z.number().min(0), w: z.number().min(1), h: z.number().min(1) }).nullable().optional(),
    alt: z.string().max(MAX_ALT_LENGTH).optional(),
  }),
]);

export const MAX_IMPORT_SHAPES = 50_000;
export const shapeListSchema = z.array(shapeSchema).max(MAX_IMPORT_SHAPES);

/** "shapes[3].style.stroke: expected a hex colour like #1e293b", one line per problem. */
export function formatIssues(error: z.ZodError, root = ''): string[] {
  return error.issues.slice(0, 20).map((issue) => {
    let path = root;
    for (const key of issue.path) path += typeof key === 'number' ? `[${key}]` : path ? `.${String(key)}` : String(key);
    return `${path || '(file)'}: ${issue.message}`;
  });
}

/** Validated shapes, ready for insertShapes. */
export function toShapeInputs(shapes: z.infer<typeof shapeListSchema>): ShapeInput[] {
  return shapes.map((s) => s as ShapeInput);
}
