/**
 * POST /api/boards -> 201 { boardId, editUrl, viewUrl }: a new board with its two share links.
 * Anyone may create boards, so creation has a quota per client (lib/http/board-quota.ts): 429 past it.
 */
import type { NextRequest } from 'next/server';
import { newBoardId } from '@/lib/board-id';
import { jsonError, refuseCrossSite, skipBody, upstreamError } from '@/lib/auth/request';
import { createBoardLinks, linkUrl } from '@/lib/auth/sync-api';
import { boardCreationQuota } from '@/lib/http/board-quota';
import { publicOrigin } from '@/lib/http/client';

export async function POST(req: NextRequest): Promise<Response> {
  const refused = refuseCrossSite(req) ?? (await skipBody(req));
  if (refused) return refused;
  const origin = publicOrigin(req.headers);
  if (!origin) return jsonError(400, 'missing or malformed Host header');
  const { quota, client } = boardCreationQuota(req.headers);
  const taken = quota.take(client, Date.now());
  if (!taken.ok) {
    return jsonError(429, `too many new boards; try again in ${taken.retryAfterS} s`, { 'Retry-After': String(taken.retryAfterS) });
  }
  const boardId = newBoardId();
  try {
    const links = await createBoardLinks(boardId);
    return Response.json(
      { boardId, editUrl: linkUrl(origin, boardId, links.edit.key), viewUrl: linkUrl(origin, boardId, links.view.key) },
      { status: 201, headers: { 'Cache-Control': 'no-store' } },
    );
  } catch (err) {
    quota.refund(client);
    return upstreamError(err);
  }
}
