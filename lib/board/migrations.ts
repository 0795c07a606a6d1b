/**
 * Schema migrations, tldraw-style: named steps that each lift the document by one version.
 * Version 1 is the first published layout. A step must be idempotent: two clients may run it
 * concurrently and their writes merge (both write the same values).
 */
import { getSchemaVersion, MIGRATION, type Board } from './board';
import { DEFAULT_STYLE, FILL_MODES, SCHEMA_VERSION } from './schema';

export type Migration = { version: number; name: string; up: (board: Board) => void };

/** v2: `fill` becomes a mode (a v1 colour means "solid"); dash, fontSize and locked get defaults. */
const styleModes: Migration = {
  version: 2,
  name: 'StyleModes',
  up: (board) => {
    board.shapes.forEach((y) => {
      const fill = y.get('fill');
      if (typeof fill === 'string' && !(FILL_MODES as readonly string[]).includes(fill)) {
        y.set('fill', fill === 'transparent' ? 'none' : 'solid');
      }
      if (!y.has('dash')) y.set('dash', DEFAULT_STYLE.dash);
      if (!y.has('fontSize')) y.set('fontSize', DEFAULT_STYLE.fontSize);
      if (!y.has('locked')) y.set('locked', false);
    });
  },
};

/**
 * v3: image shapes (issue 17). Nothing to lift: no v2 shape changes. The step exists so the stored
 * version says "has images", and a v2 client opening the board warns that it is older instead of
 * silently skipping shapes it cannot parse.
 */
const imageShapes: Migration = { version: 3, name: 'ImageShapes', up: () => {} };

export const MIGRATIONS: readonly Migration[] = [styleModes, imageShapes];

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
