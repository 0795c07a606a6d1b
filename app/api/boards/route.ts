/** POST /api/boards -> 201 { boardId, editUrl, viewUrl }: a new board with its two share links. */
import type { NextRequest } from 'next/server';
import { newBoardId } from '@/lib/board-id';
import { upstreamError } from '@/lib/auth/request';
import { createBoardLinks, linkUrl } from '@/lib/auth/sync-api';

export async function POST(req: NextRequest): Promise<Response> {
  const boardId = newBoardId();
  try {
    const links = await createBoardLinks(boardId);
    const origin = req.nextUrl.origin;
    return Response.json(
      { boardId, editUrl: linkUrl(origin, boardId, links.edit.key), viewUrl: linkUrl(origin, boardId, links.view.key) },
      { status: 201, headers: { 'Cache-Control': 'no-store' } },
    );
  } catch (err) {
    return upstreamError(err);
  }
}
