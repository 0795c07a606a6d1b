/**
 * POST /api/token { boardId, key, name? } -> { token, role, expiresAt } | 403.
 * Trades a share-link key for a short-lived board token bound to that link's current version.
 */
import { z } from 'zod';
import { cleanName } from '@/lib/presence/user';
import { boardIdSchema, jsonError, keySchema, readBody, refuseCrossSite, upstreamError } from '@/lib/auth/request';
import { appAuthSecret, resolveKey } from '@/lib/auth/sync-api';
import { mintBoardToken } from '@/lib/auth/token';

const bodySchema = z.object({ boardId: boardIdSchema, key: keySchema, name: z.string().max(200).optional() }).strict();

export async function POST(req: Request): Promise<Response> {
  const refused = refuseCrossSite(req);
  if (refused) return refused;
  const body = await readBody(req, bodySchema);
  if (body instanceof Response) return body;
  try {
    const grant = await resolveKey(body.boardId, body.key);
    if (!grant) return jsonError(403, 'this link no longer works');
    const name = cleanName(body.name) ?? 'Anonymous';
    const { token, expiresAt } = await mintBoardToken(appAuthSecret(), { board: body.boardId, role: grant.role, name, lv: grant.version });
    return Response.json({ token, role: grant.role, expiresAt }, { headers: { 'Cache-Control': 'no-store' } });
  } catch (err) {
    return upstreamError(err);
  }
}
