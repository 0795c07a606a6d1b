/** Shared bits of the API route handlers: bounded body reading, validation and JSON errors. */
import { z } from 'zod';
import { isBoardId } from '../board-id';
import { LINK_KEY_PATTERN } from '../protocol/link-key';
import { SyncApiError } from './sync-api';

export const boardIdSchema = z.string().refine(isBoardId, 'not a board id');
export const keySchema = z.string().regex(LINK_KEY_PATTERN, 'malformed key');

/** Every API body is a small JSON object (a key, a board id, a name): far below this. */
export const MAX_BODY_BYTES = 16 * 1024;

export function jsonError(status: number, error: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error }, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}

const tooLarge = (limit: number) => jsonError(413, `body too large (at most ${limit} bytes)`);

/**
 * The body's bytes, read as a stream and abandoned as soon as it passes `limit` (a declared
 * Content-Length over the limit is refused before reading), or a 413/400 Response.
 */
export async function readBytes(req: Request, limit = MAX_BODY_BYTES): Promise<Uint8Array | Response> {
  const declared = req.headers.get('content-length');
  if (declared !== null) {
    if (!/^\d+$/.test(declared.trim())) return jsonError(400, 'invalid Content-Length');
    if (Number(declared) > limit) return tooLarge(limit);
  }
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** True for `application/json` with or without parameters (`; charset=utf-8`). */
export function isJsonContentType(value: string | null): boolean {
  return value?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** Parses a JSON body of at most `limit` bytes with `schema`; returns the data or a 4xx Response. */
export async function readBody<T>(req: Request, schema: z.ZodType<T>, limit = MAX_BODY_BYTES): Promise<T | Response> {
  if (!isJsonContentType(req.headers.get('content-type'))) return jsonError(415, 'Content-Type must be application/json');
  const bytes = await readBytes(req, limit);
  if (bytes instanceof Response) return bytes;
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return jsonError(400, 'body must be JSON');
  }
  const result = schema.safeParse(raw);
  if (!result.success) return jsonError(400, result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return result.data;
}

/** For routes that take no body: none, or JSON of up to `limit` bytes (ignored); else 413 / 415. */
export async function skipBody(req: Request, limit = MAX_BODY_BYTES): Promise<Response | null> {
  const bytes = await readBytes(req, limit);
  if (bytes instanceof Response) return bytes;
  if (bytes.byteLength > 0 && !isJsonContentType(req.headers.get('content-type'))) return jsonError(415, 'Content-Type must be application/json');
  return null;
}

/**
 * Refuses requests a browser marks as sent by another site (a form or script elsewhere posting here
 * in a visitor's name; `Sec-Fetch-Site` cannot be set by page scripts). Scripts and curl send none.
 */
export function refuseCrossSite(req: Request): Response | null {
  return req.headers.get('sec-fetch-site') === 'cross-site' ? jsonError(403, 'cross-site requests are not accepted') : null;
}

/** Maps sync-server failures to 502 and rethrows anything else. */
export function upstreamError(err: unknown): Response {
  if (err instanceof SyncApiError) {
    console.error(err.message);
    return jsonError(502, 'sync server unavailable');
  }
  throw err;
}
