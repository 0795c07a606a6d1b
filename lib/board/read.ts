/** Typed reads and subscriptions over a board. Malformed shapes from peers are skipped, never thrown. */
import type * as Y from 'yjs';
import type { Board } from './board';
import { compareIndex, isIndexKey } from './fractional-index';
import { parseShape } from './parse-shape';
import type { Shape, ShapeId } from './schema';

export function getShape(board: Board, id: ShapeId | string): Shape | null {
  const y = board.shapes.get(id);
  return y ? parseShape(id, y) : null;
}

/** All valid shapes, bottom to top. */
export function listShapes(board: Board): Shape[] {
  const out: Shape[] = [];
  board.shapes.forEach((y, id) => {
    const shape = parseShape(id, y);
    if (shape) out.push(shape);
  });
  return out.sort(compareIndex);
}

/** Top of the z-order, or null on an empty board. */
export function getTopIndex(board: Board): string | null {
  let top: string | null = null;
  // only the key is read: parsing every shape (note text included) made each add O(n) parses
  board.shapes.forEach((y) => {
    const index = y.get('index');
    if (isIndexKey(index) && (top === null || index > top)) top = index;
  });
  return top;
}

export type BoardJSON = { schemaVersion: unknown; createdAt: unknown; shapes: Shape[] };

/** Plain JSON snapshot (for export, tests and debugging). */
export function toJSON(board: Board): BoardJSON {
  return {
    schemaVersion: board.meta.get('schemaVersion') ?? null,
    createdAt: board.meta.get('createdAt') ?? null,
    shapes: listShapes(board),
  };
}

export type ShapesChange = {
  /** Ids added, changed or deleted in one transaction (look them up again to tell which). */
  ids: Set<string>;
  /** True when the change came from this client (LOCAL or any non-provider origin). */
  local: boolean;
};

/**
 * Calls `cb` once per transaction that touched shapes, with the ids concerned, taken from the
 * observeDeep events (no rescan of the board). Returns the unsubscribe function.
 */
export function observeShapes(board: Board, cb: (change: ShapesChange) => void): () => void {
  const handler = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
    const ids = new Set<string>();
    for (const event of events) {
      if (event.target === board.shapes) {
        for (const key of event.changes.keys.keys()) ids.add(key);
      } else {
        // a nested shape map changed: its path from `shapes` starts with the shape's key
        const key = event.path[0];
        if (typeof key === 'string') ids.add(key);
      }
    }
    if (ids.size > 0) cb({ ids, local: tr.local });
  };
  board.shapes.observeDeep(handler);
  return () => board.shapes.unobserveDeep(handler);
}
