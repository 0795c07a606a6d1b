/**
 * POST   /api/boards/:id?reset=checkpoint -> 200 { restored, preRestore, added, changed, removed }
 *        restores the board's demo checkpoint on the server (editors; 409 if it has none). The
 *        state before the reset is saved as a version first.
 * DELETE /api/boards/:id -> 200 { deletedAt }: moves the board to the trash (editors); everyone on
 *        it is disconnected (4410) and its links stop working until an operator restores it.
 * Auth: Authorization: Bearer <board token> or X-Board-Key: <edit key> (lib/auth/board-access.ts).
 */
import type { NextRequest } from 'next/server';
import { boardRoute, noStoreJson, type BoardParams } from '@/lib/auth/board-route';
import { jsonError, skipBody } from '@/lib/auth/request';
import { resetToCheckpoint, trashBoard } from '@/lib/auth/sync-history';

export async function POST(req: NextRequest, ctx: BoardParams): Promise<Response> {
  const reset = req.nextUrl.searchParams.get('reset');
  if (reset !== 'checkpoint') return jsonError(400, 'the only board action is ?reset=checkpoint');
  return boardRoute(req, ctx, 'edit', async ({ boardId, access }) => {
    const body = await skipBody(req);
    if (body) return body;
    return noStoreJson(await resetToCheckpoint(boardId, access.name));
  });
}

export async function DELETE(req: NextRequest, ctx: BoardParams): Promise<Response> {
  return boardRoute(req, ctx, 'edit', async ({ boardId }) => {
    const body = await skipBody(req);
    if (body) return body;
    return noStoreJson(await trashBoard(boardId));
  });
}
