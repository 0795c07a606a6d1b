/**
 * Internal HTTP API of the sync server, for the web app's route handlers only (never the public):
 * every call needs `Authorization: Bearer <service token>` signed with the shared secret.
 *
 *   POST /api/boards/:id/links              -> 200 BoardLinks   (creates them if absent; idempotent)
 *   GET  /api/boards/:id/links              -> 200 BoardLinks | 404
 *   POST /api/boards/:id/links/resolve {key} -> 200 { role, kind, version } | 404
 *   POST /api/boards/:id/links/rotate {kind} -> 200 BoardLinks | 404; closes connections of the old link (4401)
 *
 * Errors are JSON `{ error }` with 400 (bad input), 401 (service token), 404, 405, 413.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { isBoardId } from '../../lib/board-id';
import { verifyServiceToken } from '../../lib/auth/token';
import { LINK_KEY_PATTERN as KEY_PATTERN } from '../../lib/protocol/link-key';
import type { BoardAuth } from '../auth/board-auth';
import type { Logger } from '../logger';
import type { BoardLinks, LinkKind, Storage } from '../persistence/storage';

const MAX_BODY_BYTES = 4096;
const ROUTE = /^\/api\/boards\/([^/]+)\/links(\/resolve|\/rotate)?$/;

const resolveBody = z.object({ key: z.string().regex(KEY_PATTERN, 'malformed key') }).strict();
const rotateBody = z.object({ kind: z.enum(['edit', 'view']) }).strict();

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** 192 random bits, base64url: the capability secret of a share link. */
export function newLinkKey(): string {
  return randomBytes(24).toString('base64url');
}

function sameKey(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
    'Cache-Control': 'no-store',
  });
  res.end(json);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'body must be JSON');
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return result.data;
}

export interface ApiDeps {
  secret: Uint8Array;
  storage: Storage;
  auth: BoardAuth;
  log: Logger;
}

/** Returns a handler that answers /api/* and returns false for every other path. */
export function createApiHandler({ secret, storage, auth, log }: ApiDeps) {
  async function route(req: IncomingMessage, path: string): Promise<{ status: number; body: unknown }> {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : null;
    if (!(await verifyServiceToken(secret, token))) throw new HttpError(401, 'service token required');

    const match = ROUTE.exec(path);
    if (!match) throw new HttpError(404, 'not found');
    let boardId: string;
    try {
      boardId = decodeURIComponent(match[1]);
    } catch {
      throw new HttpError(400, 'invalid board id');
    }
    if (!isBoardId(boardId)) throw new HttpError(400, 'invalid board id');
    const action = match[2] ?? '';

    if (action === '' && req.method === 'GET') {
      const links = await storage.getBoardLinks(boardId);
      if (!links) throw new HttpError(404, 'board has no links');
      return { status: 200, body: links };
    }
    if (req.method !== 'POST') throw new HttpError(405, 'method not allowed');
    if (action === '') {
      return { status: 200, body: await storage.createBoardLinks(boardId, { edit: newLinkKey(), view: newLinkKey() }) };
    }
    if (action === '/resolve') {
      const { key } = parse(resolveBody, await readJson(req));
      const links = await storage.getBoardLinks(boardId);
      const kind = links ? (['edit', 'view'] as const).find((k) => sameKey(links[k].key, key)) : undefined;
      if (!links || !kind) throw new HttpError(404, 'unknown key');
      return { status: 200, body: { role: kind === 'edit' ? 'editor' : 'viewer', kind, version: links[kind].version } };
    }
    const { kind } = parse(rotateBody, await readJson(req));
    const links: BoardLinks | null = await storage.rotateBoardLink(boardId, kind as LinkKind, newLinkKey());
    if (!links) throw new HttpError(404, 'board has no links');
    auth.revokeLink(boardId, kind, links[kind].version);
    return { status: 200, body: links };
  }

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/api' && !path.startsWith('/api/')) return false;
    route(req, path).then(
      ({ status, body }) => send(res, status, body),
      (err: unknown) => {
        if (err instanceof HttpError) {
          send(res, err.status, { error: err.message });
          return;
        }
        log.error({ err, path }, 'api request failed');
        send(res, 500, { error: 'internal error' });
      },
    );
    return true;
  };
}
