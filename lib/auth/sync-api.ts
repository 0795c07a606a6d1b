/**
 * Server-side client of the sync server's internal link API (server/transport/api.ts), used by
 * the web app's route handlers only: it signs every call with a short-lived service token.
 * Node only (reads the secret from AUTH_SECRET or DATA_DIR/auth-secret, like the sync server).
 */
import { z } from 'zod';
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

/** One signed request to the sync server's internal API; throws SyncApiError (502) if it is unreachable. */
export async function serviceFetch(method: string, path: string, body?: unknown): Promise<Response> {
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

async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown | null> {
  const res = await serviceFetch(method, path, body);
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
