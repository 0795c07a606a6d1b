/**
 * Local, render-ready copy of the board's shapes, updated from observeShapes with only the ids a
 * transaction touched (no rescan per change). Keeps a spatial index of every shape's bounds (for
 * culling and hit testing) and which arrows are bound to which shape, so moving a shape re-indexes
 * just the arrows attached to it. Sorting is redone lazily and only when z-order could have changed.
 */
import { shapeBounds, type Box } from './shape-geometry';
import { SpatialIndex } from '@/lib/geometry/spatial-index';
import type { Board } from './board';
import { compareIndex } from './fractional-index';
import { getShape, listShapes } from './read';
import type { Shape } from './schema';

const BULK_APPLY = 1000;

export class ShapeCache {
  private byId = new Map<string, Shape>();
  private sorted: Shape[] = [];
  /** id -> position in `sorted`; valid while !orderDirty */
  private rank = new Map<string, number>();
  private orderDirty = false;
  private index = new SpatialIndex();
  /** target id -> arrows bound to it */
  private arrowsTo = new Map<string, Set<string>>();
  readonly lookup = (id: string): Shape | undefined => this.byId.get(id);

  /** Full load, once per board. */
  reset(board: Board): void {
    this.byId.clear();
    this.index.clear();
    this.arrowsTo.clear();
    this.sorted = listShapes(board);
    for (const s of this.sorted) this.byId.set(s.id, s);
    for (const s of this.sorted) this.track(s, undefined);
    this.reindexRanks();
  }

  private reindexRanks(): void {
    this.rank.clear();
    this.sorted.forEach((s, i) => this.rank.set(s.id, i));
    this.orderDirty = false;
  }

  private targets(s: Shape | undefined): string[] {
    if (!s || s.type !== 'arrow') return [];
    return [s.start?.shapeId, s.end?.shapeId].filter((id): id is NonNullable<typeof id> => id !== undefined);
  }

  private track(next: Shape | undefined, prev: Shape | undefined): void {
    for (const t of this.targets(prev)) this.arrowsTo.get(t)?.delete(prev!.id);
    for (const t of this.targets(next)) {
      let set = this.arrowsTo.get(t);
      if (!set) this.arrowsTo.set(t, (set = new Set()));
      set.add(next!.id);
    }
    if (next) this.index.set(next.id, shapeBounds(next, this.lookup));
    else if (prev) this.index.remove(prev.id);
  }

  /** Re-reads the given ids; returns true if anything visible changed. */
  apply(board: Board, ids: Iterable<string>): boolean {
    // the initial sync (or an import) touches most of the board: one full read is cheaper than
    // re-indexing arrows per touched target
    if (ids instanceof Set && ids.size >= BULK_APPLY && ids.size > this.byId.size) {
      this.reset(board);
      return true;
    }
    let changed = false;
    const touched = new Set<string>();
    for (const id of ids) {
      const prev = this.byId.get(id);
      const next = getShape(board, id);
      touched.add(id);
      if (!next) {
        if (prev) {
          this.byId.delete(id);
          this.track(undefined, prev);
          this.orderDirty = true;
          changed = true;
        }
        continue;
      }
      this.byId.set(id, next);
      this.track(next, prev);
      if (!prev || prev.index !== next.index) this.orderDirty = true;
      else if (!this.orderDirty) {
        const at = this.rank.get(id);
        if (at !== undefined && this.sorted[at] === prev) this.sorted[at] = next;
        else this.orderDirty = true;
      }
      changed = true;
    }
    // arrows bound to a changed shape moved with it: refresh their bounds
    for (const id of touched) {
      for (const arrowId of this.arrowsTo.get(id) ?? []) {
        const arrow = this.byId.get(arrowId);
        if (arrow) this.index.set(arrowId, shapeBounds(arrow, this.lookup));
      }
    }
    return changed;
  }

  get(id: string): Shape | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Shapes bottom to top. The array is shared: do not mutate. */
  list(): readonly Shape[] {
    if (this.orderDirty) {
      this.sorted = [...this.byId.values()].sort(compareIndex);
      this.reindexRanks();
    }
    return this.sorted;
  }

  /** The given shapes that still exist, bottom to top (O(k log k), no scan of the board). */
  pick(ids: Iterable<string>): Shape[] {
    this.list(); // ranks are valid after this
    const out: Shape[] = [];
    for (const id of ids instanceof Set ? ids : new Set(ids)) {
      const s = this.byId.get(id);
      if (s) out.push(s);
    }
    const rank = this.rank;
    return out.sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
  }

  /** Shapes whose bounds meet `box`, bottom to top (spatial index, no scan of the board). */
  query(box: Box): Shape[] {
    const ids = this.index.query(box);
    const sorted = this.list();
    // a large share of the board (zoomed out): one pass over the z-ordered list beats sorting the hits
    if (ids.size * 8 > sorted.length) return sorted.filter((s) => ids.has(s.id));
    return this.pick(ids);
  }
}
