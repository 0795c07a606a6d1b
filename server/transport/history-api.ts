/**
 * Internal HTTP API for version history and the trash: for the web app's route handlers only,
 * every call with `Authorization: Bearer <service token>` like the link API (api.ts).
 *
 *   GET    /api/boards/:id/versions?limit=&before=  -> 200 { versions, corrupt }   newest first; limit 1-1000 (200)
 *   POST   /api/boards/:id/versions {kind?, name?, by?} -> 201 VersionMeta        the board as it is now
 *   GET    /api/boards/:id/versions/:vid          -> 200 VersionMeta | 404
 *   GET    /api/boards/:id/versions/:vid/state    -> 200 application/octet-stream (a full Yjs update) | 404 | 422
 *   PATCH  /api/boards/:id/versions/:vid {name}   -> 200 VersionMeta | 404          name null un-names it
 *   DELETE /api/boards/:id/versions/:vid          -> 200 { deleted: true } | 404
 *   POST   /api/boards/:id/versions/:vid/restore {by?} -> 200 { restored, preRestore, added, changed, removed } | 404 | 422
 *   PUT    /api/boards/:id/checkpoint {versionId} -> 200 { checkpoint } | 404          versionId null clears it
 *   POST   /api/boards/:id/reset {by?}            -> 200 like restore, of the checkpoint | 409 no checkpoint
 *   DELETE /api/boards/:id                        -> 200 { deletedAt }                 to the trash; connections closed (4410)
 *   POST   /api/boards/:id/untrash                -> 200 { untrashed: true } | 404
 *   GET    /api/trash                             -> 200 { boards: [{ boardId, deletedAt }] }
 *
 * A version of another board is a 404 (ids are looked up per board). Saving, restoring or resetting
 * a deleted board is a 409; 422 means the stored version cannot be rebuilt (logged with board and
 * version id). Errors are JSON `{ error }`: 400 bad input, 401 service token, 404, 405 (with
 * Allow), 409, 413 body over 4 KiB, 422, 501 storage without version history.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { createVersionSchema, MAX_VERSION_NAME } from '../../lib/history/versions';
import type { HistoryErrorKind, HistoryService } from '../history/history-service';
import { HistoryError } from '../history/history-service';
import type { Logger } from '../logger';
import { boardIdParam, HttpError, methodNotAllowed, parse, readJson, requireServiceToken, serve, type ApiReply } from './api-common';

/** /api/boards/:id[/(untrash|checkpoint|reset|versions)[/:vid[/(state|restore)]]]; /links is api.ts's. */
const BOARD_ROUTE = /^\/api\/boards\/([^/]+)(?:\/(untrash|checkpoint|reset|versions)(?:\/([^/]+)(?:\/(state|restore))?)?)?$/;
const TRASH_ROUTE = '/api/trash';
const VERSION_ID = /^[1-9][0-9]{0,15}$/;
const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 1000;

const by = z.string().trim().max(64, 'must be at most 64 characters').optional();
const createBody = createVersionSchema.extend({ by });
const renameBody = z.object({ name: z.string().trim().min(1, 'must not be empty').max(MAX_VERSION_NAME).nullable() }).strict();
const restoreBody = z.object({ by }).strict();
const checkpointBody = z.object({ versionId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullable() }).strict();
const listQuery = z
  .object({
    limit: z.string().regex(/^[1-9][0-9]{0,3}$/, 'must be a whole number from 1').transform(Number).pipe(z.number().max(MAX_LIMIT)).optional(),
    before: z.string().regex(VERSION_ID, 'must be a version id').transform(Number).pipe(z.number().max(Number.MAX_SAFE_INTEGER)).optional(),
  })
  .strict();

const STATUS: Record<HistoryErrorKind, number> = { 'not-found': 404, deleted: 409, 'no-checkpoint': 409, corrupt: 422, 'too-large': 409 };

function versionIdParam(segment: string): number {
  const id = Number(segment);
  if (!VERSION_ID.test(segment) || !Number.isSafeInteger(id)) throw new HttpError(400, 'invalid version id');
  return id;
}

/** The query as an object of single values (a repeated parameter is a 400). */
function queryParams(query: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    if (Object.hasOwn(out, key)) throw new HttpError(400, `${key}: given more than once`);
    out[key] = value;
  }
  return out;
}

const found = <T>(value: T | null, what = 'no such version'): T => {
  if (value === null) throw new HttpError(404, what);
  return value;
};
const ok = (body: unknown, status = 200): ApiReply => ({ status, body });
const nameOrNull = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);

export interface HistoryApiDeps {
  secret: Uint8Array;
  /** null: storage keeps no versions (every route answers 501). */
  history: HistoryService | null;
  log: Logger;
}

/** Returns a handler that answers the history and trash routes and returns false for every other path. */
export function createHistoryApiHandler({ secret, history: service, log }: HistoryApiDeps) {
  async function route(req: IncomingMessage, path: string, query: string): Promise<ApiReply> {
    await requireServiceToken(req, secret);
    if (!service) throw new HttpError(501, 'version history needs storage that keeps versions');
    const history = service;
    const method = req.method ?? 'GET';
    if (path === TRASH_ROUTE) {
      if (method !== 'GET') throw methodNotAllowed(['GET']);
      return ok({ boards: await history.listTrash() });
    }
    const [, boardSegment, sub, vidSegment, action] = BOARD_ROUTE.exec(path)!;
    const boardId = boardIdParam(boardSegment);
    if (sub !== 'versions' && vidSegment !== undefined) throw new HttpError(404, 'not found');
    switch (sub) {
      case undefined:
        if (method !== 'DELETE') throw methodNotAllowed(['DELETE']);
        return ok({ deletedAt: await history.trash(boardId) });
      case 'untrash':
        if (method !== 'POST') throw methodNotAllowed(['POST']);
        if (!(await history.untrash(boardId))) throw new HttpError(404, 'board is not in the trash');
        return ok({ untrashed: true });
      case 'checkpoint': {
        if (method !== 'PUT') throw methodNotAllowed(['PUT']);
        const { versionId } = parse(checkpointBody, await readJson(req));
        if (!(await history.setCheckpoint(boardId, versionId))) throw new HttpError(404, 'no such version');
        return ok({ checkpoint: versionId });
      }
      case 'reset': {
        if (method !== 'POST') throw methodNotAllowed(['POST']);
        const body = parse(restoreBody, await readJson(req, { empty: {} }));
        return ok(await history.resetToCheckpoint(boardId, nameOrNull(body.by)));
      }
    }
    if (vidSegment === undefined) {
      if (method === 'GET') {
        const { limit = DEFAULT_LIMIT, before } = parse(listQuery, queryParams(query));
        return ok(await history.list(boardId, { limit, beforeId: before }));
      }
      if (method !== 'POST') throw methodNotAllowed(['GET', 'POST']);
      const body = parse(createBody, await readJson(req, { empty: {} }));
      return ok(await history.createVersion(boardId, { kind: body.kind, name: body.name ?? null, by: nameOrNull(body.by) }), 201);
    }
    const versionId = versionIdParam(vidSegment);
    if (action === 'state') {
      if (method !== 'GET') throw methodNotAllowed(['GET']);
      return { status: 200, bytes: found(await history.loadState(boardId, versionId)) };
    }
    if (action === 'restore') {
      if (method !== 'POST') throw methodNotAllowed(['POST']);
      const body = parse(restoreBody, await readJson(req, { empty: {} }));
      return ok(await history.restore(boardId, versionId, nameOrNull(body.by)));
    }
    switch (method) {
      case 'GET':
        return ok(found(await history.get(boardId, versionId)));
      case 'PATCH': {
        const { name } = parse(renameBody, await readJson(req));
        return ok(found(await history.rename(boardId, versionId, name)));
      }
      case 'DELETE':
        if (!(await history.delete(boardId, versionId))) throw new HttpError(404, 'no such version');
        return ok({ deleted: true });
      default:
        throw methodNotAllowed(['GET', 'PATCH', 'DELETE']);
    }
  }

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q + 1);
    if (path !== TRASH_ROUTE && !BOARD_ROUTE.test(path)) return false;
    serve(
      res,
      () =>
        route(req, path, query).catch((err: unknown) => {
          throw err instanceof HistoryError ? new HttpError(STATUS[err.kind], err.message) : err;
        }),
      log,
      path,
    );
    return true;
  };
}
