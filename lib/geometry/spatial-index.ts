/**
 * A uniform-grid spatial index of axis-aligned boxes, updated per id (insert/update/remove are
 * O(cells covered)). Used for viewport culling and hit testing so neither scans every shape.
 * Very large boxes go to an "oversized" list that every query returns, which keeps updates cheap.
 */
import { boxesIntersect, type Box } from './box';

const DEFAULT_CELL = 256;
const MAX_CELLS_PER_BOX = 256;
const OFFSET = 1 << 20;

function key(cx: number, cy: number): number {
  return (cx + OFFSET) * (OFFSET * 2) + (cy + OFFSET);
}

type Entry = { box: Box; cells: number[] | null };

export class SpatialIndex {
  private entries = new Map<string, Entry>();
  private cells = new Map<number, Set<string>>();
  private oversized = new Set<string>();

  constructor(private readonly cellSize = DEFAULT_CELL) {}

  get size(): number {
    return this.entries.size;
  }

  private range(box: Box): [number, number, number, number] {
    const s = this.cellSize;
    return [Math.floor(box.x / s), Math.floor(box.y / s), Math.floor((box.x + box.w) / s), Math.floor((box.y + box.h) / s)];
  }

  /** Inserts or moves an entry. */
  set(id: string, box: Box): void {
    const prev = this.entries.get(id);
    if (prev && prev.box.x === box.x && prev.box.y === box.y && prev.box.w === box.w && prev.box.h === box.h) return;
    if (prev) this.remove(id);
    const [x0, y0, x1, y1] = this.range(box);
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_CELLS_PER_BOX) {
      this.oversized.add(id);
      this.entries.set(id, { box, cells: null });
      return;
    }
    const keys: number[] = [];
    for (let cx = x0; cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        const k = key(cx, cy);
        let set = this.cells.get(k);
        if (!set) this.cells.set(k, (set = new Set()));
        set.add(id);
        keys.push(k);
      }
    }
    this.entries.set(id, { box, cells: keys });
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    if (!entry.cells) {
      this.oversized.delete(id);
      return;
    }
    for (const k of entry.cells) {
      const set = this.cells.get(k);
      set?.delete(id);
      if (set && set.size === 0) this.cells.delete(k);
    }
  }

  clear(): void {
    this.entries.clear();
    this.cells.clear();
    this.oversized.clear();
  }

  /** Ids whose box intersects `box` (each once, unordered). */
  query(box: Box): Set<string> {
    const out = new Set<string>();
    const [x0, y0, x1, y1] = this.range(box);
    const cellCount = (x1 - x0 + 1) * (y1 - y0 + 1);
    if (cellCount > this.cells.size) {
      // zoomed far out: walking the occupied cells is cheaper than walking the empty ones
      for (const [id, e] of this.entries) if (boxesIntersect(e.box, box)) out.add(id);
      return out;
    }
    for (let cx = x0; cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        const set = this.cells.get(key(cx, cy));
        if (!set) continue;
        for (const id of set) if (!out.has(id) && boxesIntersect(this.entries.get(id)!.box, box)) out.add(id);
      }
    }
    for (const id of this.oversized) if (boxesIntersect(this.entries.get(id)!.box, box)) out.add(id);
    return out;
  }
}
