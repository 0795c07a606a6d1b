/**
 * Z-order operations. Each rewrites only the `index` field of the shapes it moves, so two users
 * reordering at once merge per shape (last writer wins per field) and every peer sorts the same way.
 */
import { LOCAL, type Board, type Origin } from './board';
import { keyBetween } from './fractional-index';
import { listShapes } from './read';
import type { Shape, ShapeId } from './schema';

/** A key strictly between a and b; equal neighbours (a tie broken by id) fall back to "just above a". */
function between(a: string | null, b: string | null): string {
  return a !== null && b !== null && a >= b ? keyBetween(a, null) : keyBetween(a, b);
}

function reorder(board: Board, ids: Iterable<ShapeId>, origin: Origin, plan: (all: Shape[], moving: Set<string>) => void): void {
  const moving = new Set<string>(ids);
  if (moving.size === 0) return;
  board.doc.transact(() => plan(listShapes(board), moving), origin);
}

function setIndex(board: Board, id: string, index: string): void {
  board.shapes.get(id)?.set('index', index);
}

/** Puts the shapes above all others, keeping their relative order. */
export function bringToFront(board: Board, ids: Iterable<ShapeId>, origin: Origin = LOCAL): void {
  reorder(board, ids, origin, (all, moving) => {
    let top = all.length > 0 ? all[all.length - 1].index : null;
    for (const s of all) {
      if (!moving.has(s.id)) continue;
      top = keyBetween(top, null);
      setIndex(board, s.id, top);
    }
  });
}

/** Puts the shapes below all others, keeping their relative order. */
export function sendToBack(board: Board, ids: Iterable<ShapeId>, origin: Origin = LOCAL): void {
  reorder(board, ids, origin, (all, moving) => {
    let bottom = all.length > 0 ? all[0].index : null;
    for (let i = all.length - 1; i >= 0; i--) {
      if (!moving.has(all[i].id)) continue;
      bottom = bottom === null ? keyBetween(null, null) : keyBetween(null, bottom);
      setIndex(board, all[i].id, bottom);
    }
  });
}

/** Moves each shape one step up, above the next shape that is not moving. */
export function bringForward(board: Board, ids: Iterable<ShapeId>, origin: Origin = LOCAL): void {
  reorder(board, ids, origin, (all, moving) => {
    const order = [...all];
    for (let i = order.length - 2; i >= 0; i--) {
      const s = order[i];
      if (!moving.has(s.id) || moving.has(order[i + 1].id)) continue;
      const above = order[i + 1];
      const next = order[i + 2]?.index ?? null;
      const index = between(above.index, next);
      setIndex(board, s.id, index);
      order.splice(i, 1);
      order.splice(i + 1, 0, { ...s, index });
    }
  });
}

/** Moves each shape one step down, below the previous shape that is not moving. */
export function sendBackward(board: Board, ids: Iterable<ShapeId>, origin: Origin = LOCAL): void {
  reorder(board, ids, origin, (all, moving) => {
    const order = [...all];
    for (let i = 1; i < order.length; i++) {
      const s = order[i];
      if (!moving.has(s.id) || moving.has(order[i - 1].id)) continue;
      const below = order[i - 1];
      const prev = order[i - 2]?.index ?? null;
      const index = prev !== null && prev >= below.index ? keyBetween(null, below.index) : keyBetween(prev, below.index);
      setIndex(board, s.id, index);
      order.splice(i, 1);
      order.splice(i - 1, 0, { ...s, index });
    }
  });
}

