/**
 * The clipboard payload: `{"commonboard": 1, "shapes": [...]}` as JSON text in text/plain, so it
 * survives the system clipboard between tabs, boards and browsers. Anything else on the clipboard
 * is treated as plain text from another app.
 */
import type { ShapeInput } from '@/lib/board';
import { formatIssues, shapeListSchema, toShapeInputs } from './shape-schema';

export const CLIPBOARD_VERSION = 1;
export const MAX_PASTE_TEXT = 20_000;

export function serializeClipboard(shapes: ShapeInput[]): string {
  return JSON.stringify({ commonboard: CLIPBOARD_VERSION, shapes });
}

export type ClipboardContent =
  | { kind: 'shapes'; shapes: ShapeInput[] }
  | { kind: 'text'; text: string }
  | { kind: 'empty' }
  | { kind: 'invalid'; errors: string[] };

/** Classifies clipboard text. Never throws. */
export function parseClipboard(text: string): ClipboardContent {
  const trimmed = text.trim();
  if (!trimmed) return { kind: 'empty' };
  if (trimmed.startsWith('{') && trimmed.includes('"commonboard"')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      json = null;
    }
    if (typeof json === 'object' && json !== null && 'commonboard' in json) {
      const { commonboard, shapes } = json as { commonboard: unknown; shapes: unknown };
      if (commonboard !== CLIPBOARD_VERSION) return { kind: 'invalid', errors: [`unsupported clipboard version ${String(commonboard)}`] };
      const parsed = shapeListSchema.safeParse(shapes);
      if (!parsed.success) return { kind: 'invalid', errors: formatIssues(parsed.error, 'shapes') };
      return { kind: 'shapes', shapes: toShapeInputs(parsed.data) };
    }
  }
  return { kind: 'text', text: text.slice(0, MAX_PASTE_TEXT) };
}
