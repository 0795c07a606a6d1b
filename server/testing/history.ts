/**
 * Test helpers for version history: a real in-process server whose storage keeps versions (boards
 * in SQLite, versions in SQLite's own store or in the in-memory double), a client of the internal
 * API signed with a service token, and shape drawing on a client's doc.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { mintServiceToken } from '../../lib/auth/token';
import { openBoard } from '../../lib/board/board';
import { keyBetween } from '../../lib/board/fractional-index';
import { addShape } from '../../lib/board/ops';
import { getTopIndex } from '../../lib/board/read';
import type { Config } from '../config';
import { createLogger } from '../logger';
import { DB_FILE } from '../persistence/data-dir';
import { SqliteStorage } from '../persistence/sqlite';
import type { Storage } from '../persistence/storage';
import { hasVersionStore, type VersionStore } from '../persistence/versions';
import { startServer, type RunningServer } from '../start-server';
import { TEST_AUTH_SECRET, testConfig } from './helpers';
import { MemoryVersionStore, withVersionStore } from './memory-version-store';

export const SECRET = new TextEncoder().encode(TEST_AUTH_SECRET);

/** Where a test server keeps versions: the in-memory double, or SQLite's own version store. */
export type VersionBackend = 'memory' | 'sqlite';
export const VERSION_BACKENDS: readonly VersionBackend[] = ['memory', 'sqlite'];

export interface HistoryServer {
  server: RunningServer;
  store: VersionStore;
  /** Damages a stored version so that loading it throws VersionCorruptError. */
  corrupt(boardId: string, versionId: number): void;
}

/** Overwrites a version's stored bytes in the SQLite file (a second connection, as a disk fault would). */
function corruptSqliteVersion(dataDir: string, boardId: string, versionId: number): void {
  const db = new Database(join(dataDir, DB_FILE));
  try {
    const changed = db.prepare('UPDATE versions SET data = ? WHERE board_id = ? AND id = ?').run(Buffer.from('not a version'), boardId, versionId).changes;
    if (changed !== 1) throw new Error(`no version ${versionId} of ${boardId} to damage`);
  } finally {
    db.close();
  }
}

/**
 * A server on SQLite in `dataDir` (boards) whose versions live in `versions`: 'sqlite' = SQLite's
 * own store, 'memory' = a fresh in-memory double, or a given store (e.g. one that outlives a
 * restart, or one that fails on purpose).
 */
export async function startHistoryServer(
  dataDir: string,
  overrides: Partial<Config> = {},
  versions: VersionStore | VersionBackend = 'memory',
): Promise<HistoryServer> {
  const sqlite = new SqliteStorage(join(dataDir, DB_FILE));
  let storage: Storage & VersionStore;
  let corrupt: HistoryServer['corrupt'];
  if (versions === 'sqlite') {
    if (!hasVersionStore(sqlite)) throw new Error('SqliteStorage keeps no versions');
    storage = sqlite;
    corrupt = (boardId, id) => corruptSqliteVersion(dataDir, boardId, id);
  } else {
    const store = versions === 'memory' ? new MemoryVersionStore() : versions;
    storage = withVersionStore(sqlite, store);
    corrupt = (boardId, id) => {
      if (!(store instanceof MemoryVersionStore)) throw new Error('only the memory double can be damaged on purpose');
      store.corrupt(boardId, id);
    };
  }
  const config = testConfig(dataDir, { drainMs: 0, ...overrides });
  const server = await startServer(config, { logger: createLogger(config.logLevel), storage, authSecret: SECRET });
  return { server, store: storage, corrupt };
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

/**
 * Adds `n` rectangles on top of a client's doc (one transaction each, like a user drawing); returns
 * their ids. The z-order keys are chained here: finding the top shape per add is O(board).
 */
export function drawShapes(doc: Y.Doc, n: number, createdBy = 'tester', at = 0): string[] {
  const board = openBoard(doc);
  let index = getTopIndex(board);
  return Array.from({ length: n }, (_, i) => {
    index = keyBetween(index, null);
    return addShape(board, { type: 'rect', x: at + i * 10, y: 0, w: 5, h: 5, createdBy, index });
  });
}

/** The shapes map as plain JSON (for equality across docs). */
export const shapesOf = (doc: Y.Doc): Record<string, unknown> => doc.getMap('shapes').toJSON();

/** The shapes of a version's state. */
export function shapesOfState(state: Uint8Array): Record<string, unknown> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return shapesOf(doc);
}
