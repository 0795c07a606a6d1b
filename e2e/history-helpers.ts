/**
 * Helpers for the version-history specs: a raw y-websocket peer (token minted with the e2e secret,
 * like e2e/notes.spec.ts) to write note content and to read a board's full Yjs state, as the server
 * would store it in a version; and the history part of the test API.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { loadAuthSecret } from '../lib/auth/secret';
import { mintBoardToken } from '../lib/auth/token';
import { openBoard, type Board } from '../lib/board';
import type { BoardPage } from './fixtures/board-page';
import type { TestHistoryApi, TestVersionMeta } from './fixtures/test-api';
import { E2E_AUTH_SECRET, E2E_SYNC_PORT } from './fixtures/ports';

/** Connects as an editor, runs `fn` on the synced board, waits for our writes to be sent, disconnects. */
export async function withPeer<T>(boardId: string, fn: (board: Board) => T): Promise<T> {
  const secret = loadAuthSecret({ AUTH_SECRET: E2E_AUTH_SECRET }, mkdtempSync(join(tmpdir(), 'history-e2e-')));
  const { token } = await mintBoardToken(secret, { board: boardId, role: 'editor', name: 'Script' });
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${E2E_SYNC_PORT}`, encodeURIComponent(boardId), doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  try {
    await new Promise<void>((resolve) => (provider.synced ? resolve() : provider.once('sync', () => resolve())));
    const result = fn(openBoard(doc));
    await new Promise((r) => setTimeout(r, 300)); // the update is on the wire (the server persists before relaying)
    return result;
  } finally {
    provider.destroy();
    doc.destroy();
  }
}

/** The board's full state now, as a version stores it. */
export function boardState(boardId: string): Promise<Uint8Array> {
  return withPeer(boardId, (board) => Y.encodeStateAsUpdate(board.doc));
}

export const history = (user: BoardPage) => ({
  list: () => user.page.evaluate(() => window.commonboard!.history.list()),
  open: (id: number) => user.page.evaluate((v) => window.commonboard!.history.open(v), id),
  back: () => user.page.evaluate(() => window.commonboard!.history.back()),
  viewing: () => user.page.evaluate(() => window.commonboard!.history.viewing()),
});

export type { TestHistoryApi, TestVersionMeta };

export function versionMeta(id: number, extra: Partial<TestVersionMeta> = {}): TestVersionMeta {
  return {
    id,
    createdAt: Date.now() - (10 - id) * 60_000,
    kind: 'auto',
    name: null,
    editors: ['Alice'],
    added: 2,
    changed: 1,
    removed: 0,
    shapeCount: 3,
    bytes: 1200,
    checkpoint: false,
    ...extra,
  };
}
