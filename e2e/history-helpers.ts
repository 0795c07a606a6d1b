/**
 * Helpers for the version-history specs: a raw y-websocket peer (e2e/fixtures/raw-peer.ts) to write
 * note content and to read a board's full Yjs state, as the server would store it in a version; and
 * the history part of the test API.
 */
import * as Y from 'yjs';
import type { Board } from '../lib/board';
import type { BoardPage } from './fixtures/board-page';
import { openRawPeer } from './fixtures/raw-peer';
import type { TestHistoryApi, TestVersionMeta } from './fixtures/test-api';

/** Connects as an editor, runs `fn` on the synced board, waits for our writes to be sent, disconnects. */
export async function withPeer<T>(boardId: string, fn: (board: Board) => T): Promise<T> {
  const peer = await openRawPeer(boardId, 'Script');
  try {
    const result = fn(peer.board);
    await new Promise((r) => setTimeout(r, 300)); // the update is on the wire (the server persists before relaying)
    return result;
  } finally {
    peer.close();
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
