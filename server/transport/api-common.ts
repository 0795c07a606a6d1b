/**
 * What the internal HTTP APIs (api.ts: share links; history-api.ts: versions and trash) share:
 * the service-token check, bounded JSON bodies validated with zod, board ids from the path, and
 * one way of answering — JSON `{ error }` for refusals, 500 (logged) for anything unexpected, so an
 * exception closes one request and never the process.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { verifyServiceToken } from '../../lib/auth/token';
import { isBoardId } from '../../lib/board-id';
import type { Logger } from '../logger';

export const MAX_BODY_BYTES = 4096;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Sent as response headers (e.g. Allow with a 405). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export type ApiReply = { status: number; body: unknown } | { status: number; bytes: Uint8Array };

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
    'Cache-Control': 'no-store',
  });
  res.end(json);
}

function sendBytes(res: ServerResponse, status: number, bytes: Uint8Array): void {
  res.writeHead(status, { 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.byteLength, 'Cache-Control': 'no-store' });
  res.end(bytes);
}

/** The body as JSON (at most MAX_BODY_BYTES); an empty body is `empty` if given, else a 400. */
export async function readJson(req: IncomingMessage, options: { empty?: unknown } = {}): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (options.empty !== undefined && text.trim() === '') return options.empty;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'body must be JSON');
  }
}

export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return result.data;
}

export async function requireServiceToken(req: IncomingMessage, secret: Uint8Array): Promise<void> {
  const header = req.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : null;
  if (!(await verifyServiceToken(secret, token))) throw new HttpError(401, 'service token required');
}

/** A board id from a (percent-encoded) path segment, or a 400. */
export function boardIdParam(segment: string): string {
  let boardId: string;
  try {
    boardId = decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'invalid board id');
  }
  if (!isBoardId(boardId)) throw new HttpError(400, 'invalid board id');
  return boardId;
}

/** 405 naming the methods the path has. */
export function methodNotAllowed(allowed: readonly string[]): HttpError {
  return new HttpError(405, 'method not allowed', { Allow: allowed.join(', ') });
}

/** Runs one request's route and answers it; nothing it throws escapes. */
export function serve(res: ServerResponse, route: () => Promise<ApiReply>, log: Logger, path: string): void {
  route().then(
    (reply) => ('bytes' in reply ? sendBytes(res, reply.status, reply.bytes) : sendJson(res, reply.status, reply.body)),
    (err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof HttpError) return sendJson(res, err.status, { error: err.message }, err.headers);
      log.error({ err, path }, 'api request failed');
      sendJson(res, 500, { error: 'internal error' });
    },
  );
}
