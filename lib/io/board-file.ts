/**
 * The board file: `{ format: "commonboard", version, exportedAt, shapes }`, `version` being the
 * document SCHEMA_VERSION the shapes were written in. Import validates the whole file (clear,
 * per-field errors), lifts older versions to the current one, and never trusts ids: the caller
 * inserts the shapes with fresh ones (insertShapes).
 */
import { z } from 'zod';
import { DEFAULT_STYLE, FILL_MODES, SCHEMA_VERSION, type ShapeInput } from '@/lib/board';
import { formatIssues, shapeListSchema, toShapeInputs } from './shape-schema';

export const BOARD_FILE_FORMAT = 'commonboard';
/**
 * Larger files are refused before parsing (a 10,000-shape board is a few MB; the rest of the room
 * is for embedded images, base64 in `files`).
 */
export const MAX_BOARD_FILE_BYTES = 128 * 1024 * 1024;

export type BoardFile = { format: typeof BOARD_FILE_FORMAT; version: number; exportedAt: string; shapes: ShapeInput[] };

export function createBoardFile(shapes: ShapeInput[], now = new Date()): BoardFile {
  return { format: BOARD_FILE_FORMAT, version: SCHEMA_VERSION, exportedAt: now.toISOString(), shapes };
}

export type ParseResult = { ok: true; shapes: ShapeInput[]; migratedFrom: number | null } | { ok: false; errors: string[] };

const envelope = z.object({
  format: z.literal(BOARD_FILE_FORMAT, { message: `not a Commonboard file (expected format "${BOARD_FILE_FORMAT}")` }),
  version: z.number().int().min(1),
  shapes: z.array(z.unknown(), { message: 'expected a list of shapes' }),
});

type Raw = Record<string, unknown>;

/** v1 -> v2, as the document migration (lib/board/migrations.ts): fill colour -> mode, new style fields. */
function fromV1(shape: unknown): unknown {
  if (typeof shape !== 'object' || shape === null) return shape;
  const s = shape as Raw;
  const style = typeof s.style === 'object' && s.style !== null ? { ...(s.style as Raw) } : {};
  const fill = style.fill;
  if (typeof fill === 'string' && !(FILL_MODES as readonly string[]).includes(fill)) style.fill = fill === 'transparent' ? 'none' : 'solid';
  style.dash ??= DEFAULT_STYLE.dash;
  style.fontSize ??= DEFAULT_STYLE.fontSize;
  return { ...s, style, locked: s.locked ?? false };
}

/** v3 added the image type; a v2 file has none, so its shapes pass unchanged. */
const STEPS: Record<number, (shape: unknown) => unknown> = { 1: fromV1, 2: (shape) => shape };

/** Parses and validates a board file's text. Never throws. */
export function parseBoardFile(text: string): ParseResult {
  const json = parseBoardJson(text);
  return json.ok ? parseBoardFileJson(json.value) : json;
}

/** JSON.parse of a board file's text within the size limit. Never throws. */
export function parseBoardJson(text: string): { ok: true; value: unknown } | { ok: false; errors: string[] } {
  if (text.length > MAX_BOARD_FILE_BYTES) return { ok: false, errors: [`file is too large (over ${MAX_BOARD_FILE_BYTES / 1024 / 1024} MB)`] };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, errors: [`not valid JSON: ${(e as Error).message}`] };
  }
}

/** Validates a parsed board file (see parseBoardFile). Never throws. */
export function parseBoardFileJson(json: unknown): ParseResult {
  const head = envelope.safeParse(json);
  if (!head.success) return { ok: false, errors: formatIssues(head.error) };
  const { version } = head.data;
  if (version > SCHEMA_VERSION) {
    return { ok: false, errors: [`version: file is version ${version}, this Commonboard reads up to ${SCHEMA_VERSION}; update Commonboard`] };
  }
  let shapes = head.data.shapes;
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const step = STEPS[v];
    if (!step) return { ok: false, errors: [`version: no migration from version ${v}`] };
    shapes = shapes.map(step);
  }
  const body = shapeListSchema.safeParse(shapes);
  if (!body.success) return { ok: false, errors: formatIssues(body.error, 'shapes') };
  return { ok: true, shapes: toShapeInputs(body.data), migratedFrom: version < SCHEMA_VERSION ? version : null };
}
