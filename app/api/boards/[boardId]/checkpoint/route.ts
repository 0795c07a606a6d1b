/** PUT /api/boards/:id/checkpoint { versionId: number | null } -> 200 { checkpoint }: marks (or clears) the demo checkpoint (editors). */
import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { boardRoute, noStoreJson, type BoardParams } from '@/lib/auth/board-route';
import { readBody } from '@/lib/auth/request';
import { setCheckpoint } from '@/lib/auth/sync-history';

const bodySchema = z.object({ versionId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullable() }).strict();

export async function PUT(req: NextRequest, ctx: BoardParams): Promise<Response> {
  return boardRoute(req, ctx, 'edit', async ({ boardId }) => {
    const body = await readBody(req, bodySchema);
    if (body instanceof Response) return body;
    return noStoreJson(await setCheckpoint(boardId, body.versionId));
  });
}
