/**
 * Which seqs of a board's log a room has applied. The log is gap-free (see persistence/postgres.ts)
 * but a room does not see it in order: its own commits land with seqs above updates other servers
 * committed and whose Redis message is still in flight (or was lost). `applied` is the highest seq
 * below which nothing is missing; what the room holds beyond it is remembered in `ahead`.
 */
export class SeqTracker {
  private contiguous: number;
  private readonly ahead = new Set<number>();

  constructor(start: number) {
    this.contiguous = start;
  }

  /** Every seq <= this is in the room's doc; a snapshot may only cover up to here. */
  get applied(): number {
    return this.contiguous;
  }

  /** Some seq above `applied` is in the doc while one below it is not. */
  get hasGap(): boolean {
    return this.ahead.size > 0;
  }

  has(seq: number): boolean {
    return seq <= this.contiguous || this.ahead.has(seq);
  }

  addRange(first: number, last: number): void {
    if (first <= this.contiguous + 1 && this.ahead.size === 0) {
      // the common case (one server, or in-order delivery): no set traffic on the hot path
      this.contiguous = Math.max(this.contiguous, last);
      return;
    }
    for (let s = Math.max(first, this.contiguous + 1); s <= last; s++) this.ahead.add(s);
    this.settle();
  }

  /** Everything up to `seq` is in the doc (e.g. a snapshot covering it was applied). */
  advanceTo(seq: number): void {
    if (seq <= this.contiguous) return;
    for (const s of this.ahead) if (s <= seq) this.ahead.delete(s);
    this.contiguous = seq;
    this.settle();
  }

  private settle(): void {
    while (this.ahead.delete(this.contiguous + 1)) this.contiguous++;
  }
}
