/**
 * Local, render-ready copy of the board's shapes, updated from observeShapes with only the ids a
 * transaction touched (no rescan per change). Sorting is redone lazily and only when z-order could
 * have changed (a shape added, removed or re-indexed).
 */
import type { Board } from './board';
import { compareIndex } from './fractional-index';
import { getShape, listShapes } from './read';
import type { Shape } from './schema';

export class ShapeCache {
  private byId = new Map<string, Shape>();
  private sorted: Shape[] = [];
  private orderDirty = false;

  /** Full load, once per board. */
  reset(board: Board): void {
    this.byId.clear();
    this.sorted = listShapes(board);
    for (const s of this.sorted) this.byId.set(s.id, s);
    this.orderDirty = false;
  }

  /** Re-reads the given ids; returns true if anything visible changed. */
  apply(board: Board, ids: Iterable<string>): boolean {
    let changed = false;
    for (const id of ids) {
      const prev = this.byId.get(id);
      const next = getShape(board, id);
      if (!next) {
        if (prev) {
          this.byId.delete(id);
          this.orderDirty = true;
          changed = true;
        }
        continue;
      }
      this.byId.set(id, next);
      if (!prev || prev.index !== next.index) this.orderDirty = true;
      else if (!this.orderDirty) {
        const at = this.sorted.indexOf(prev);
        if (at >= 0) this.sorted[at] = next;
        else this.orderDirty = true;
      }
      changed = true;
    }
    return changed;
  }

  get(id: string): Shape | undefined {
    return this.byId.get(id);
  }

  /** Shapes bottom to top. The array is shared: do not mutate. */
  list(): readonly Shape[] {
    if (this.orderDirty) {
      this.sorted = [...this.byId.values()].sort(compareIndex);
      this.orderDirty = false;
    }
    return this.sorted;
  }
}
