/**
 * GET    /api/boards/:id/versions/:vid -> the version as a board JSON file (lib/io/board-file.ts),
 *        importable like any export; ?format=yjs -> application/octet-stream, its full Yjs state;
 *        ?format=meta -> VersionMeta. 422 if the stored version is corrupt.
 * PATCH  /api/boards/:id/versions/:vid { name: string | null } -> 200 VersionMeta (editors)
 * DELETE /api/boards/:id/versions/:vid -> 200 { deleted: true } (editors)
 */
import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { boardFromState, listShapes } from '@/lib/board';
import { boardRoute, noStoreJson, type BoardParams } from '@/lib/auth/board-route';
import { jsonError, readBody, skipBody } from '@/lib/auth/request';
import { deleteVersion, getVersion, getVersionState, renameVersion } from '@/lib/auth/sync-history';
import { createBoardFile } from '@/lib/io/board-file';
import { snapshotShapes } from '@/lib/io/snapshot';
import { MAX_VERSION_NAME } from '@/lib/history/versions';

const renameSchema = z.object({ name: z.string().trim().min(1).max(MAX_VERSION_NAME).nullable() }).strict();

export async function GET(req: NextRequest, ctx: BoardParams): Promise<Response> {
  return boardRoute(req, ctx, 'read', async ({ boardId, versionId }) => {
    const format = req.nextUrl.searchParams.get('format') ?? 'json';
    const vid = versionId!;
    if (format === 'meta') return noStoreJson(await getVersion(boardId, vid));
    if (format !== 'json' && format !== 'yjs') return jsonError(400, 'format must be json, yjs or meta');
    const state = await getVersionState(boardId, vid);
    if (format === 'yjs') {
      return new Response(state as Uint8Array<ArrayBuffer>, {
        headers: { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store', 'Content-Length': String(state.byteLength) },
      });
    }
    const board = boardFromState(state);
    const shapes = listShapes(board);
    const byId = new Map(shapes.map((s) => [s.id as string, s]));
    const file = createBoardFile(snapshotShapes(board, shapes, (id) => byId.get(id)));
    return noStoreJson(file, 200, { 'Content-Disposition': `attachment; filename="${boardId}-v${vid}.commonboard.json"` });
  });
}

export async function PATCH(req: NextRequest, ctx: BoardParams): Promise<Response> {
  return boardRoute(req, ctx, 'edit', async ({ boardId, versionId }) => {
    const body = await readBody(req, renameSchema);
    if (body instanceof Response) return body;
    return noStoreJson(await renameVersion(boardId, versionId!, body.name));
  });
}

export async function DELETE(req: NextRequest, ctx: BoardParams): Promise<Response> {
  return boardRoute(req, ctx, 'edit', async ({ boardId, versionId }) => {
    const body = await skipBody(req);
    if (body) return body;
    await deleteVersion(boardId, versionId!);
    return noStoreJson({ deleted: true });
  });
}
