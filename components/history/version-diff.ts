/**
 * What differs between a version being viewed and the live board, kept current while others edit
 * live: shapes added since the version (live only), changed since, and removed since (version only).
 *
 * The version's fingerprints are taken once; the live board's are kept per shape and refreshed only
 * for the ids a live transaction touched, so a peer's drag costs O(touched) per update, never a
 * rescan. A ShapeCache of the live board (its spatial index) lets the painter find the live-only
 * shapes on screen in O(visible) per frame.
 */
import { diffFingerprints, fingerprintBoard, fingerprintShape, observeShapes, ShapeCache, type Board, type Fingerprints } from '@/lib/board';

export type DiffCounts = { added: number; changed: number; removed: number };
export type DiffKind = keyof DiffCounts;

export class VersionDiff {
  /** The live board's shapes, for drawing the ones the version does not have. */
  readonly live = new ShapeCache();
  readonly added = new Set<string>();
  readonly changed = new Set<string>();
  readonly removed = new Set<string>();
  private readonly versionPrints: Fingerprints;
  private readonly livePrints: Fingerprints;
  private readonly stop: () => void;

  constructor(
    readonly liveBoard: Board,
    readonly versionBoard: Board,
    /** Called after the sets changed (live edits): repaint, update the legend. */
    private readonly onChange: () => void,
  ) {
    this.versionPrints = fingerprintBoard(versionBoard);
    this.livePrints = fingerprintBoard(liveBoard);
    this.live.reset(liveBoard);
    const d = diffFingerprints(this.versionPrints, this.livePrints);
    for (const id of d.added) this.added.add(id);
    for (const id of d.changed) this.changed.add(id);
    for (const id of d.removed) this.removed.add(id);
    this.stop = observeShapes(liveBoard, ({ ids }) => {
      this.live.apply(liveBoard, ids);
      for (const id of ids) this.reclassify(id);
      this.onChange();
    });
  }

  counts(): DiffCounts {
    return { added: this.added.size, changed: this.changed.size, removed: this.removed.size };
  }

  /** How a shape of either board differs, or null if it is the same in both. */
  kindOf(id: string): DiffKind | null {
    if (this.changed.has(id)) return 'changed';
    if (this.removed.has(id)) return 'removed';
    if (this.added.has(id)) return 'added';
    return null;
  }

  dispose(): void {
    this.stop();
  }

  private reclassify(id: string): void {
    const y = this.liveBoard.shapes.get(id);
    if (y) this.livePrints.set(id, fingerprintShape(y));
    else this.livePrints.delete(id);
    this.added.delete(id);
    this.changed.delete(id);
    this.removed.delete(id);
    const was = this.versionPrints.get(id);
    const now = this.livePrints.get(id);
    if (was === undefined && now !== undefined) this.added.add(id);
    else if (was !== undefined && now === undefined) this.removed.add(id);
    else if (was !== now) this.changed.add(id);
  }
}
