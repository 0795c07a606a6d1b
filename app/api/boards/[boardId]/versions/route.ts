/**
 * GET  /api/boards/:id/versions?limit=&before= -> 200 { versions: VersionMeta[], corrupt: number[] }
 *      newest first (editors; viewers unless HISTORY_VIEWERS=0).
 * POST /api/boards/:id/versions { name?, kind?: 'named' | 'pre-restore' } -> 201 VersionMeta:
 *      saves the board as it is now on the server (editors).
 * Auth: Authorization: Bearer <board token> or X-Board-Key: <key> (lib/auth/board-access.ts).
 */
import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { boardRoute, noStoreJson, parseVersionId, type BoardParams } from '@/lib/auth/board-route';
import { jsonError, readBody } from '@/lib/auth/request';
import { createVersion, listVersions } from '@/lib/auth/sync-history';
import { createVersionSchema } from '@/lib/history/versions';

const limitSchema = z.coerce.number().int().min(1).max(1000);

export async function GET(req: NextRequest, ctx: BoardParams): Promise<Response> {
  return boardRoute(req, ctx, 'read', async ({ boardId }) => {
    const params = req.nextUrl.searchParams;
    const rawLimit = params.get('limit');
    const rawBefore = params.get('before');
    const limit = rawLimit === null ? undefined : limitSchema.safeParse(rawLimit);
    if (limit && !limit.success) return jsonError(400, 'limit must be a whole number from 1 to 1000');
    const before = rawBefore === null ? undefined : parseVersionId(rawBefore);
    if (before === null) return jsonError(400, 'before must be a version id');
    return noStoreJson(await listVersions(boardId, { limit: limit?.data, before }));
  });
}

export async function POST(req: NextRequest, ctx: BoardParams): Promise<Response> {
  return boardRoute(req, ctx, 'edit', async ({ boardId, access }) => {
    const body = await readBody(req, createVersionSchema);
    if (body instanceof Response) return body;
    return noStoreJson(await createVersion(boardId, { ...body, by: access.name }), 201);
  });
}
