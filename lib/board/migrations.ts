/**
 * Schema migrations, tldraw-style: named steps that each lift the document by one version.
 * Version 1 is the first published layout, so the list is empty. A step must be idempotent:
 * two clients may run it concurrently and their writes merge.
 */
import { getSchemaVersion, MIGRATION, type Board } from './board';
import { SCHEMA_VERSION } from './schema';

export type Migration = { version: number; name: string; up: (board: Board) => void };

export const MIGRATIONS: readonly Migration[] = [];

export type MigrationResult = 'current' | 'migrated' | 'newer';

/** Runs the steps above the stored version. 'newer' means this client is older than the document. */
export function migrateBoard(board: Board, steps: readonly Migration[] = MIGRATIONS): MigrationResult {
  const target = steps.reduce((max, s) => Math.max(max, s.version), SCHEMA_VERSION);
  const stored = getSchemaVersion(board) ?? SCHEMA_VERSION;
  if (stored > target) return 'newer';
  const pending = steps.filter((s) => s.version > stored).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return 'current';
  board.doc.transact(() => {
    for (const step of pending) step.up(board);
    board.meta.set('schemaVersion', target);
  }, MIGRATION);
  return 'migrated';
}
