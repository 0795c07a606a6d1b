/**
 * POST /api/boards/:id/links/rotate { key, which: 'edit' | 'view' } -> { edit, view } (editors only).
 * The old link stops working at once: the sync server closes its live connections with 4401.
 */
import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { boardIdSchema, jsonError, keySchema, readBody, refuseCrossSite, upstreamError } from '@/lib/auth/request';
import { linkUrl, resolveKey, rotateBoardLink } from '@/lib/auth/sync-api';
import { publicOrigin } from '@/lib/http/client';

const bodySchema = z.object({ key: keySchema, which: z.enum(['edit', 'view']) }).strict();

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
    if (!grant) return jsonError(403, 'this link no longer works');
    if (grant.role !== 'editor') return jsonError(403, 'only editors can rotate links');
    const links = await rotateBoardLink(boardId.data, body.which);
    if (!links) return jsonError(404, 'board has no links');
    return Response.json(
      { edit: linkUrl(origin, boardId.data, links.edit.key), view: linkUrl(origin, boardId.data, links.view.key) },
      { headers: { 'Cache-Control': 'no-store' } },
    );
  } catch (err) {
    return upstreamError(err);
  }
}
