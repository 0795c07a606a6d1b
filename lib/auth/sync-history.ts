/**
 * Server-side client of the sync server's internal history API (server/transport/history-api.ts),
 * for the web app's route handlers: versions, restore, checkpoint, trash. Every response is
 * validated with the schemas the browser and scripts see (lib/history/versions.ts).
 */
import { z } from 'zod';
import { versionListSchema, versionMetaSchema, type VersionList, type VersionMeta } from '../history/versions';
import { serviceFetch, SyncApiError } from './sync-api';

/** A status the sync server answered that the app passes on as is (not a failure of the sync server). */
export class SyncHistoryError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const PASSED_ON = new Set([400, 404, 409, 413, 422]);

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const res = await serviceFetch(method, path, body);
  if (res.ok) return res;
  const text = await res.text();
  if (PASSED_ON.has(res.status)) {
    let message = text;
    try {
      const parsed = z.object({ error: z.string() }).safeParse(JSON.parse(text));
      if (parsed.success) message = parsed.data.error;
    } catch {
      // not JSON: pass the text on
    }
    throw new SyncHistoryError(res.status, message.slice(0, 300));
  }
  throw new SyncApiError(`sync server answered ${res.status}: ${text.slice(0, 300)}`, 502);
}

async function json<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown): Promise<T> {
  const res = await request(method, path, body);
  return schema.parse(await res.json());
}

const board = (id: string) => `/boards/${encodeURIComponent(id)}`;
const version = (id: string, vid: number) => `${board(id)}/versions/${vid}`;

export const restoreResultSchema = z.object({
  restored: versionMetaSchema,
  preRestore: versionMetaSchema,
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
});
export type RestoreResult = z.infer<typeof restoreResultSchema>;

export function listVersions(boardId: string, options: { limit?: number; before?: number } = {}): Promise<VersionList> {
  const q = new URLSearchParams();
  if (options.limit !== undefined) q.set('limit', String(options.limit));
  if (options.before !== undefined) q.set('before', String(options.before));
  const query = q.size > 0 ? `?${q}` : '';
  return json(versionListSchema, 'GET', `${board(boardId)}/versions${query}`);
}

export function createVersion(boardId: string, body: { kind: 'named' | 'pre-restore'; name?: string; by: string }): Promise<VersionMeta> {
  return json(versionMetaSchema, 'POST', `${board(boardId)}/versions`, body);
}

export function getVersion(boardId: string, vid: number): Promise<VersionMeta> {
  return json(versionMetaSchema, 'GET', version(boardId, vid));
}

/** The version's full Yjs state. */
export async function getVersionState(boardId: string, vid: number): Promise<Uint8Array> {
  const res = await request('GET', `${version(boardId, vid)}/state`);
  return new Uint8Array(await res.arrayBuffer());
}

export function renameVersion(boardId: string, vid: number, name: string | null): Promise<VersionMeta> {
  return json(versionMetaSchema, 'PATCH', version(boardId, vid), { name });
}

export async function deleteVersion(boardId: string, vid: number): Promise<void> {
  await request('DELETE', version(boardId, vid));
}

export function restoreVersion(boardId: string, vid: number, by: string): Promise<RestoreResult> {
  return json(restoreResultSchema, 'POST', `${version(boardId, vid)}/restore`, { by });
}

export function resetToCheckpoint(boardId: string, by: string): Promise<RestoreResult> {
  return json(restoreResultSchema, 'POST', `${board(boardId)}/reset`, { by });
}

export function setCheckpoint(boardId: string, versionId: number | null): Promise<{ checkpoint: number | null }> {
  return json(z.object({ checkpoint: z.number().int().nullable() }), 'PUT', `${board(boardId)}/checkpoint`, { versionId });
}

export function trashBoard(boardId: string): Promise<{ deletedAt: number }> {
  return json(z.object({ deletedAt: z.number() }), 'DELETE', board(boardId));
}
