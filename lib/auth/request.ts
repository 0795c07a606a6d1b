/** Shared bits of the auth route handlers: body validation and JSON errors. */
import { z } from 'zod';
import { isBoardId } from '../board-id';
import { LINK_KEY_PATTERN } from '../protocol/link-key';
import { SyncApiError } from './sync-api';

export const boardIdSchema = z.string().refine(isBoardId, 'not a board id');
export const keySchema = z.string().regex(LINK_KEY_PATTERN, 'malformed key');

export function jsonError(status: number, error: string): Response {
  return Response.json({ error }, { status, headers: { 'Cache-Control': 'no-store' } });
}

/** Parses a JSON body with `schema`; returns the data or a 400 Response. */
export async function readBody<T>(req: Request, schema: z.ZodType<T>): Promise<T | Response> {
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    return jsonError(400, 'body must be JSON');
  }
  const result = schema.safeParse(raw);
  if (!result.success) return jsonError(400, result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return result.data;
}

/** Maps sync-server failures to 502 and rethrows anything else. */
export function upstreamError(err: unknown): Response {
  if (err instanceof SyncApiError) {
    console.error(err.message);
    return jsonError(502, 'sync server unavailable');
  }
  throw err;
}
