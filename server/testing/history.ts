/**
 * Test helpers for version history: a real in-process server whose storage keeps versions (boards
 * in SQLite, versions in a given VersionStore — the in-memory double unless told otherwise), a
 * client of the internal API signed with a service token, and shape drawing on a client's doc.
 */
import { join } from 'node:path';
import * as Y from 'yjs';
import { mintServiceToken } from '../../lib/auth/token';
import { openBoard } from '../../lib/board/board';
import { addShape } from '../../lib/board/ops';
import type { Config } from '../config';
import { createLogger } from '../logger';
import { DB_FILE } from '../persistence/data-dir';
import { SqliteStorage } from '../persistence/sqlite';
import { hasVersionStore, type VersionStore } from '../persistence/versions';
import { startServer, type RunningServer } from '../start-server';
import { TEST_AUTH_SECRET, testConfig } from './helpers';
import { MemoryVersionStore, withVersionStore } from './memory-version-store';

export const SECRET = new TextEncoder().encode(TEST_AUTH_SECRET);

/**
 * A server on SQLite in `dataDir` whose versions live in `versions` (default: a fresh memory
 * store); if SQLite itself keeps versions (the real store), `versions` is not used unless given.
 */
export async function startHistoryServer(
  dataDir: string,
  overrides: Partial<Config> = {},
  versions?: VersionStore,
): Promise<{ server: RunningServer; store: VersionStore }> {
  const sqlite = new SqliteStorage(join(dataDir, DB_FILE));
  const storage = versions || !hasVersionStore(sqlite) ? withVersionStore(sqlite, versions ?? new MemoryVersionStore()) : sqlite;
  const config = testConfig(dataDir, { drainMs: 0, ...overrides });
  const server = await startServer(config, { logger: createLogger(config.logLevel), storage, authSecret: SECRET });
  return { server, store: storage as typeof storage & VersionStore };
}

export interface ApiResult {
  status: number;
  body: unknown;
  headers: Headers;
}

/** Calls `<base>/api<path>` with a service token (or `token`: null = none); JSON in, JSON (or bytes) out. */
export async function callApi(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; token?: string | null } = {},
): Promise<ApiResult> {
  const token = options.token === undefined ? await mintServiceToken(SECRET) : options.token;
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const type = res.headers.get('content-type') ?? '';
  const body: unknown = type.startsWith('application/octet-stream') ? new Uint8Array(await res.arrayBuffer()) : await res.json();
  return { status: res.status, body, headers: res.headers };
}

/** The http:// base of a running server. */
export const httpBase = (server: { port: number }): string => `http://127.0.0.1:${server.port}`;

/** Adds `n` rectangles to a client's doc (one transaction each, like a user drawing); returns their ids. */
export function drawShapes(doc: Y.Doc, n: number, createdBy = 'tester', at = 0): string[] {
  const board = openBoard(doc);
  return Array.from({ length: n }, (_, i) => addShape(board, { type: 'rect', x: at + i * 10, y: 0, w: 5, h: 5, createdBy }));
}

/** The shapes map as plain JSON (for equality across docs). */
export const shapesOf = (doc: Y.Doc): Record<string, unknown> => doc.getMap('shapes').toJSON();

/** The shapes of a version's state. */
export function shapesOfState(state: Uint8Array): Record<string, unknown> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return shapesOf(doc);
}
