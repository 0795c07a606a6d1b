/**
 * Decoded images for the canvas: an LRU of ImageBitmaps keyed by file and variant, within a memory
 * budget (width x height x 4 bytes each). The painter asks for the variant that is sharp at the
 * size the image is drawn (pickVariant); a miss starts one load and draws whatever variant of that
 * file is already decoded (or the placeholder) meanwhile; a finished load asks for one frame
 * (`onLoaded`), so React never re-renders for an image. Bitmaps not drawn for a while (out of view)
 * and those evicted are close()d, which frees their memory at once instead of at the next GC.
 * No fetch or IndexedDB here: the loader is injected (file-service.ts).
 */
import { pickVariant, type FileId, type FileVariantSize } from '@/lib/files/file-contract';

export type LoadResult = { bitmap: ImageBitmap } | { missing: true };
export type Loader = (fileId: FileId, variant: FileVariantSize | undefined) => Promise<LoadResult>;

type Entry = { bitmap: ImageBitmap; bytes: number; drawnAt: number };

export const DEFAULT_BITMAP_BUDGET = 256 * 1024 * 1024;
/** A bitmap not drawn for this long (of drawing time) is out of view: closed (decoded again when it comes back). */
const UNSEEN_MS = 15_000;
/** The most one gap between lookups (frames) advances the drawing clock. */
const MAX_CLOCK_STEP_MS = 250;
/**
 * Retries of a file the server does not have yet (its uploader is still sending it). Another user
 * sees the shape ~0.3 s after a paste, but a 5 MB photo's PUT (hash, IndexedDB, upload, the server's
 * decode + variants) ends ~0.8-1 s after it: retries every 250 ms for the first 1.5 s keep "shown
 * within 1.5 s" (issue 17) instead of waiting out a doubling backoff (bench:images measured 0.5 + 1 s
 * = up to 2 s); a 404 costs the server a lookup. Slower uploads back off as before.
 */
const MISSING_RETRY_MS = [250, 250, 250, 250, 250, 250, 1_000, 2_000, 4_000, 8_000];

/** Loads at once (fetch + decode); the browser queues more per host anyway, and fails past a few hundred. */
const MAX_LOADS = 6;

const keyOf = (fileId: FileId, variant: FileVariantSize | undefined) => `${fileId}|${variant ?? 'full'}`;
const VARIANTS: (FileVariantSize | undefined)[] = [undefined, 1024, 256];

export class ImageCache {
  private entries = new Map<string, Entry>(); // insertion order = least recently drawn first
  private loading = new Set<string>();
  private queued = new Map<string, { fileId: FileId; variant: FileVariantSize | undefined }>();
  private missing = new Map<string, { attempts: number; retryAt: number }>();
  private used = 0;
  private lastSweep = 0;
  /**
   * A clock that runs only while images are drawn: each lookup advances it by the time since the
   * previous one, capped, so a board left idle (no frames) does not find every bitmap "unseen" and
   * close them all on the next frame.
   */
  private drawClock = 0;
  private lastLookup = 0;
  private timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private loader: Loader,
    private onLoaded: () => void,
    private budget = DEFAULT_BITMAP_BUDGET,
    private now: () => number = () => performance.now(),
  ) {}

  /**
   * The bitmap to draw for an image `screenPx` device pixels on its longest side, or null (draw a
   * placeholder). O(1) per call; at most once a second it also sweeps unseen bitmaps.
   */
  lookup(fileId: FileId, naturalLongest: number, screenPx: number): ImageBitmap | null {
    const wall = this.now();
    this.drawClock += Math.min(Math.max(0, wall - this.lastLookup), MAX_CLOCK_STEP_MS);
    this.lastLookup = wall;
    const t = this.drawClock;
    if (t - this.lastSweep > 1_000) this.sweep(t);
    const want = pickVariant(screenPx, naturalLongest);
    const hit = this.touch(keyOf(fileId, want), t);
    if (hit) return hit;
    this.request(fileId, want, wall);
    for (const v of VARIANTS) {
      if (v === want) continue;
      const other = this.touch(keyOf(fileId, v), t);
      if (other) return other;
    }
    return null;
  }

  /** Puts a bitmap decoded elsewhere (the one decoded while adding a pasted image): it shows at once. */
  put(fileId: FileId, variant: FileVariantSize | undefined, bitmap: ImageBitmap): void {
    this.store(keyOf(fileId, variant), bitmap, this.drawClock);
    this.onLoaded();
  }

  /** Whether some variant of the file is decoded. */
  isLoaded(fileId: FileId): boolean {
    return VARIANTS.some((v) => this.entries.has(keyOf(fileId, v)));
  }

  /** Bytes of decoded bitmaps held. */
  memory(): number {
    return this.used;
  }

  dispose(): void {
    for (const e of this.entries.values()) e.bitmap.close();
    this.entries.clear();
    this.queued.clear();
    this.used = 0;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.onLoaded = () => {};
  }

  private touch(key: string, t: number): ImageBitmap | null {
    const e = this.entries.get(key);
    if (!e) return null;
    e.drawnAt = t;
    this.entries.delete(key); // to the end: most recently drawn
    this.entries.set(key, e);
    return e.bitmap;
  }

  /** `wall`: this.now(), which retry times of missing files are in. */
  private request(fileId: FileId, variant: FileVariantSize | undefined, wall: number): void {
    const key = keyOf(fileId, variant);
    if (this.loading.has(key)) return;
    const miss = this.missing.get(key);
    if (miss && wall < miss.retryAt) return;
    if (this.loading.size >= MAX_LOADS) {
      // a zoom-out can ask for hundreds at once: queue them, newest request first (still on screen)
      this.queued.delete(key);
      this.queued.set(key, { fileId, variant });
      return;
    }
    this.start(key, fileId, variant, miss);
  }

  /** Starts the newest queued load, if there is room. */
  private next(): void {
    while (this.loading.size < MAX_LOADS && this.queued.size > 0) {
      const key = [...this.queued.keys()].pop()!;
      const { fileId, variant } = this.queued.get(key)!;
      this.queued.delete(key);
      if (this.entries.has(key) || this.loading.has(key)) continue;
      this.start(key, fileId, variant, this.missing.get(key));
    }
  }

  private start(key: string, fileId: FileId, variant: FileVariantSize | undefined, miss: { attempts: number } | undefined): void {
    this.loading.add(key);
    void this.loader(fileId, variant)
      .catch((): LoadResult => ({ missing: true }))
      .then((result) => {
        this.loading.delete(key);
        this.next();
        if ('bitmap' in result) {
          this.missing.delete(key);
          this.store(key, result.bitmap, this.drawClock);
          this.onLoaded();
          return;
        }
        // not there yet: ask again later; a frame then is what re-requests it
        const attempts = (miss?.attempts ?? 0) + 1;
        const delay = MISSING_RETRY_MS[Math.min(attempts - 1, MISSING_RETRY_MS.length - 1)];
        this.missing.set(key, { attempts, retryAt: this.now() + delay });
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.onLoaded();
        }, delay);
        this.timers.add(timer);
      });
  }

  private store(key: string, bitmap: ImageBitmap, t: number): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.used -= old.bytes;
      if (old.bitmap !== bitmap) old.bitmap.close();
    }
    const bytes = bitmap.width * bitmap.height * 4;
    this.entries.set(key, { bitmap, bytes, drawnAt: t });
    this.used += bytes;
    // evict least recently drawn first; the bitmap just stored stays even if alone over budget
    for (const [k, e] of this.entries) {
      if (this.used <= this.budget) break;
      if (k !== key) this.drop(k, e);
    }
  }

  private sweep(t: number): void {
    this.lastSweep = t;
    for (const [k, e] of this.entries) {
      if (t - e.drawnAt <= UNSEEN_MS) break; // LRU order: the rest were drawn more recently
      this.drop(k, e);
    }
  }

  private drop(key: string, e: Entry): void {
    this.entries.delete(key);
    this.used -= e.bytes;
    e.bitmap.close();
  }
}
