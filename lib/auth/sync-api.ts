/**
 * Server-side client of the sync server's internal API (server/transport/api.ts: links;
 * server/transport/history-api.ts: versions and trash), used by the web app's route handlers only:
 * it signs every call with a short-lived service token and validates every answer.
 * Node only (reads the secret from AUTH_SECRET or DATA_DIR/auth-secret, like the sync server).
 */
import { z } from 'zod';
import {
  restoreOutcomeSchema,
  trashListSchema,
  versionListSchema,
  versionMetaSchema,
  type RestoreOutcome,
  type TrashList,
  type VersionList,
  type VersionMeta,
} from '../history/versions';
import { loadAuthSecret } from './secret';
import { mintServiceToken, type Role } from './token';

const linkSchema = z.object({ key: z.string(), version: z.number().int().min(1) });
const linksSchema = z.object({ edit: linkSchema, view: linkSchema });
const resolvedSchema = z.object({ role: z.enum(['editor', 'viewer']), kind: z.enum(['edit', 'view']), version: z.number().int().min(1) });

export type BoardLinks = z.infer<typeof linksSchema>;
export type ResolvedKey = { role: Role; version: number };

export class SyncApiError extends Error {
  constructor(
    message: string,
    /** 502 when the sync server failed or is unreachable; history calls pass its 400, 409 and 422 on. */
    readonly status: number,
  ) {
    super(message);
  }
}

let cachedSecret: Uint8Array | null = null;

/** The signing key shared with the sync server (read once per process). */
export function appAuthSecret(): Uint8Array {
  cachedSecret ??= loadAuthSecret(process.env, process.env.DATA_DIR?.trim() || './data');
  return cachedSecret;
}

/** SYNC_HTTP_URL, else SYNC_URL with ws->http, else http://127.0.0.1:1234. */
export function syncHttpBase(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const explicit = env.SYNC_HTTP_URL?.trim();
  const derived = env.SYNC_URL?.trim() ? env.SYNC_URL.trim().replace(/^ws(s?):/i, 'http$1:') : '';
  const raw = explicit || derived || 'http://127.0.0.1:1234';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`SYNC_HTTP_URL must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`SYNC_HTTP_URL must be an http(s) URL, got "${raw}"`);
  return url.toString().replace(/\/+$/, '');
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function request(method: Method, path: string, body?: unknown): Promise<Response> {
  const token = await mintServiceToken(appAuthSecret());
  try {
    return await fetch(`${syncHttpBase()}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (err) {
    throw new SyncApiError(`sync server unreachable: ${String(err)}`, 502);
  }
}

async function call(method: Method, path: string, body?: unknown): Promise<unknown | null> {
  const res = await request(method, path, body);
  if (res.status === 404) return null;
  if (!res.ok) throw new SyncApiError(`sync server answered ${res.status}: ${await res.text()}`, 502);
  return (await res.json()) as unknown;
}

const boardPath = (boardId: string) => `/boards/${encodeURIComponent(boardId)}/links`;

export async function createBoardLinks(boardId: string): Promise<BoardLinks> {
  return linksSchema.parse(await call('POST', boardPath(boardId)));
}

export async function getBoardLinks(boardId: string): Promise<BoardLinks | null> {
  const body = await call('GET', boardPath(boardId));
  return body === null ? null : linksSchema.parse(body);
}

/** The role and link version a key grants on the board, or null if it grants nothing. */
export async function resolveKey(boardId: string, key: string): Promise<ResolvedKey | null> {
  const body = await call('POST', `${boardPath(boardId)}/resolve`, { key });
  if (body === null) return null;
  const { role, version } = resolvedSchema.parse(body);
  return { role, version };
}

export async function rotateBoardLink(boardId: string, kind: 'edit' | 'view'): Promise<BoardLinks | null> {
  const body = await call('POST', `${boardPath(boardId)}/rotate`, { kind });
  return body === null ? null : linksSchema.parse(body);
}

/** Absolute page URL of a share link (the key in the fragment: lib/auth/link-key.ts). */
export { linkUrl } from './link-key';

// --- version history and trash (server/transport/history-api.ts) -------------------------------

/** Refusals about the request itself, which the app's route passes on to its caller. */
const PASSED_ON = new Set([400, 409, 422]);

/** The answer (null for a 404); SyncApiError with the server's `{ error }` otherwise. */
async function historyCall(method: Method, path: string, body?: unknown): Promise<Response | null> {
  const res = await request(method, path, body);
  if (res.status === 404) return null;
  if (res.ok) return res;
  const text = await res.text();
  let message = text;
  try {
    message = z.object({ error: z.string() }).parse(JSON.parse(text)).error;
  } catch {
    // not our JSON error: keep the text
  }
  throw new SyncApiError(PASSED_ON.has(res.status) ? message : `sync server answered ${res.status}: ${message}`, PASSED_ON.has(res.status) ? res.status : 502);
}

async function historyJson<T>(schema: z.ZodType<T>, method: Method, path: string, body?: unknown): Promise<T | null> {
  const res = await historyCall(method, path, body);
  return res === null ? null : schema.parse(await res.json());
}

function found<T>(value: T | null, what: string): T {
  if (value === null) throw new SyncApiError(`sync server: ${what} not found`, 502);
  return value;
}

const versionsPath = (boardId: string, versionId?: number) =>
  `/boards/${encodeURIComponent(boardId)}/versions${versionId === undefined ? '' : `/${versionId}`}`;

/** Newest first; `before` pages on (a version id). */
export async function listVersions(boardId: string, options: { limit?: number; before?: number } = {}): Promise<VersionList> {
  const query = new URLSearchParams();
  if (options.limit !== undefined) query.set('limit', String(options.limit));
  if (options.before !== undefined) query.set('before', String(options.before));
  const q = query.size > 0 ? `?${query}` : '';
  return found(await historyJson(versionListSchema, 'GET', `${versionsPath(boardId)}${q}`), 'version list');
}

/** Saves the board as it is now (kind 'named' unless told otherwise). */
export async function createVersion(boardId: string, body: { name?: string; kind?: 'named' | 'pre-restore'; by?: string } = {}): Promise<VersionMeta> {
  return found(await historyJson(versionMetaSchema, 'POST', versionsPath(boardId), body), 'board');
}

export function getVersion(boardId: string, versionId: number): Promise<VersionMeta | null> {
  return historyJson(versionMetaSchema, 'GET', versionsPath(boardId, versionId));
}

/** The version's full state (one Yjs update); null if there is no such version; SyncApiError 422 if it is corrupt. */
export async function getVersionState(boardId: string, versionId: number): Promise<Uint8Array | null> {
  const res = await historyCall('GET', `${versionsPath(boardId, versionId)}/state`);
  if (res === null) return null;
  if (!res.headers.get('content-type')?.startsWith('application/octet-stream')) throw new SyncApiError('sync server: version state is not binary', 502);
  return new Uint8Array(await res.arrayBuffer());
}

/** Names (or, with null, un-names) a version; null if there is no such version. */
export function renameVersion(boardId: string, versionId: number, name: string | null): Promise<VersionMeta | null> {
  return historyJson(versionMetaSchema, 'PATCH', versionsPath(boardId, versionId), { name });
}

/** false if there was no such version. */
export async function deleteVersion(boardId: string, versionId: number): Promise<boolean> {
  return (await historyJson(z.object({ deleted: z.literal(true) }), 'DELETE', versionsPath(boardId, versionId))) !== null;
}

/** Makes the board equal to the version (after saving a pre-restore version); null if there is no such version. */
export function restoreVersion(boardId: string, versionId: number, by?: string): Promise<RestoreOutcome | null> {
  return historyJson(restoreOutcomeSchema, 'POST', `${versionsPath(boardId, versionId)}/restore`, by === undefined ? {} : { by });
}

/** Marks (or, with null, clears) the board's checkpoint; false if there is no such version. */
export async function setCheckpoint(boardId: string, versionId: number | null): Promise<boolean> {
  const body = await historyJson(z.object({ checkpoint: z.number().int().nullable() }), 'PUT', `/boards/${encodeURIComponent(boardId)}/checkpoint`, {
    versionId,
  });
  return body !== null;
}

/** Restores the checkpoint; SyncApiError 409 if the board has none. */
export async function resetToCheckpoint(boardId: string, by?: string): Promise<RestoreOutcome> {
  const path = `/boards/${encodeURIComponent(boardId)}/reset`;
  return found(await historyJson(restoreOutcomeSchema, 'POST', path, by === undefined ? {} : { by }), 'checkpoint');
}

/** Moves the board to the trash (its connections close with 4410); returns when it was trashed. */
export async function trashBoard(boardId: string): Promise<number> {
  const body = await historyJson(z.object({ deletedAt: z.number().int() }), 'DELETE', `/boards/${encodeURIComponent(boardId)}`);
  return found(body, 'board').deletedAt;
}

/** false if the board was not in the trash. */
export async function untrashBoard(boardId: string): Promise<boolean> {
  return (await historyJson(z.object({ untrashed: z.literal(true) }), 'POST', `/boards/${encodeURIComponent(boardId)}/untrash`)) !== null;
}

export async function listTrash(): Promise<TrashList['boards']> {
  return found(await historyJson(trashListSchema, 'GET', '/trash'), 'trash').boards;
}
