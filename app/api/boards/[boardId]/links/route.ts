/** POST /api/boards/:id/links { key } -> { edit?, view }: the share links a key may see (edit only for editors). */
import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { boardIdSchema, jsonError, keySchema, readBody, refuseCrossSite, upstreamError } from '@/lib/auth/request';
import { getBoardLinks, linkUrl, resolveKey } from '@/lib/auth/sync-api';
import { publicOrigin } from '@/lib/http/client';

const bodySchema = z.object({ key: keySchema }).strict();

export async function POST(req: NextRequest, ctx: { params: Promise<{ boardId: string }> }): Promise<Response> {
  const refused = refuseCrossSite(req);
  if (refused) return refused;
  const origin = publicOrigin(req.headers);
  if (!origin) return jsonError(400, 'missing or malformed Host header');
  const boardId = boardIdSchema.safeParse((await ctx.params).boardId);
  if (!boardId.success) return jsonError(400, 'invalid board id');
  const body = await readBody(req, bodySchema);
  if (body instanceof Response) return body;
  try {
    const grant = await resolveKey(boardId.data, body.key);
    const links = grant ? await getBoardLinks(boardId.data) : null;
    if (!grant || !links) return jsonError(403, 'this link no longer works');
    const view = linkUrl(origin, boardId.data, links.view.key);
    const result = grant.role === 'editor' ? { edit: linkUrl(origin, boardId.data, links.edit.key), view } : { view };
    return Response.json(result, { headers: { 'Cache-Control': 'no-store' } });
  } catch (err) {
    return upstreamError(err);
  }
}
