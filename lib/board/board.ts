/**
 * The Board wrapper: the only handle the rest of the app holds on a board's Y.Doc.
 * Layout is documented in schema.ts.
 */
import * as Y from 'yjs';
import { SCHEMA_VERSION } from './schema';

/** Transaction origins. The undo manager will track LOCAL only; the provider uses itself for remote. */
export const LOCAL = { source: 'local' } as const;
export const MIGRATION = { source: 'migration' } as const;
export type Origin = typeof LOCAL | typeof MIGRATION | { readonly source: string };

export type Board = {
  doc: Y.Doc;
  meta: Y.Map<unknown>;
  shapes: Y.Map<Y.Map<unknown>>;
};

/** Wraps a doc (a fresh one if omitted). Writes nothing: call ensureMeta once synced with the server. */
export function openBoard(doc: Y.Doc = new Y.Doc()): Board {
  return { doc, meta: doc.getMap('meta'), shapes: doc.getMap('shapes') };
}

/**
 * Fills in missing meta fields. Called after the first sync, so an existing board's createdAt is not
 * overwritten by a client that happened to open it before its content arrived.
 */
export function ensureMeta(board: Board, now: number = Date.now()): void {
  if (board.meta.has('schemaVersion') && board.meta.has('createdAt')) return;
  board.doc.transact(() => {
    if (!board.meta.has('schemaVersion')) board.meta.set('schemaVersion', SCHEMA_VERSION);
    if (!board.meta.has('createdAt')) board.meta.set('createdAt', now);
  }, MIGRATION);
}

/** The stored schema version, or null if unset or malformed. */
export function getSchemaVersion(board: Board): number | null {
  const v = board.meta.get('schemaVersion');
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
}

/**
 * Runs `fn` in one transaction with `origin`: nested operations join it, so their writes carry this
 * origin (the undo manager sees a LOCAL one as one step) and peers get one update.
 */
export function transact<T>(board: Board, fn: () => T, origin: Origin = LOCAL): T {
  let result: T | undefined;
  board.doc.transact(() => {
    result = fn();
  }, origin);
  return result as T;
}

/** The doc's encoded state vector (for callers that may not import yjs: the session's sync layer). */
export function stateVector(board: Board): Uint8Array {
  return Y.encodeStateVector(board.doc);
}
