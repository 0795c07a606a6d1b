/**
 * Internal HTTP API of the sync server, for the web app's route handlers only (never the public):
 * every call needs `Authorization: Bearer <service token>` signed with the shared secret.
 *
 *   POST /api/boards/:id/links              -> 200 BoardLinks   (creates them if absent; idempotent)
 *   GET  /api/boards/:id/links              -> 200 BoardLinks | 404
 *   POST /api/boards/:id/links/resolve {key} -> 200 { role, kind, version } | 404 (also for a deleted board)
 *   POST /api/boards/:id/links/rotate {kind} -> 200 BoardLinks | 404; closes connections of the old link (4401)
 *
 * Errors are JSON `{ error }` with 400 (bad input), 401 (service token), 404, 405, 413 (api-common.ts).
 * Version history and the trash have their own routes: history-api.ts.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { LINK_KEY_PATTERN as KEY_PATTERN } from '../../lib/protocol/link-key';
import type { BoardAuth } from '../auth/board-auth';
import type { Logger } from '../logger';
import type { BoardLinks, LinkKind, Storage } from '../persistence/storage';
import { hasVersionStore } from '../persistence/versions';
import { boardIdParam, HttpError, parse, readJson, requireServiceToken, serve, type ApiReply } from './api-common';

const ROUTE = /^\/api\/boards\/([^/]+)\/links(\/resolve|\/rotate)?$/;

const resolveBody = z.object({ key: z.string().regex(KEY_PATTERN, 'malformed key') }).strict();
const rotateBody = z.object({ kind: z.enum(['edit', 'view']) }).strict();

/** 192 random bits, base64url: the capability secret of a share link. */
export function newLinkKey(): string {
  return randomBytes(24).toString('base64url');
}

function sameKey(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface ApiDeps {
  secret: Uint8Array;
  storage: Storage;
  auth: BoardAuth;
  log: Logger;
}

/** Returns a handler that answers /api/* and returns false for every other path. */
export function createApiHandler({ secret, storage, auth, log }: ApiDeps) {
  async function route(req: IncomingMessage, path: string): Promise<ApiReply> {
    await requireServiceToken(req, secret);
    const match = ROUTE.exec(path);
    if (!match) throw new HttpError(404, 'not found');
    const boardId = boardIdParam(match[1]);
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
      // a deleted board grants nothing: the app mints no tokens for it
      if (hasVersionStore(storage) && (await storage.trashedAt(boardId)) !== null) throw new HttpError(404, 'board deleted');
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
    serve(res, () => route(req, path), log, path);
    return true;
  };
}
