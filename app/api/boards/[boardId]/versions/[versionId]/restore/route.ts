/**
 * POST /api/boards/:id/versions/:vid/restore -> 200 { restored, preRestore, added, changed, removed }:
 * the server makes the live board equal to the version in one forward change that every client
 * receives live; the state before is saved as a version first (editors only). The browser's own
 * Restore button restores client-side instead, so the person restoring can undo it.
 */
import type { NextRequest } from 'next/server';
import { boardRoute, noStoreJson, type BoardParams } from '@/lib/auth/board-route';
import { skipBody } from '@/lib/auth/request';
import { restoreVersion } from '@/lib/auth/sync-history';

export async function POST(req: NextRequest, ctx: BoardParams): Promise<Response> {
  return boardRoute(req, ctx, 'edit', async ({ boardId, versionId, access }) => {
    const body = await skipBody(req);
    if (body) return body;
    return noStoreJson(await restoreVersion(boardId, versionId!, access.name));
  });
}
