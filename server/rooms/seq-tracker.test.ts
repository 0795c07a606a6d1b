import { describe, expect, it } from 'vitest';
import { SeqTracker } from './seq-tracker';

describe('SeqTracker', () => {
  it('advances only over contiguous seqs and remembers the ones ahead', () => {
    const t = new SeqTracker(4);
    t.addRange(7, 9); // our own commit, while 5-6 (another server's) are still in flight
    expect(t.applied).toBe(4);
    expect(t.hasGap).toBe(true);
    expect(t.has(8)).toBe(true);
    expect(t.has(5)).toBe(false);
    t.addRange(5, 5);
    expect(t.applied).toBe(5);
    t.addRange(6, 6);
    expect(t.applied).toBe(9);
    expect(t.hasGap).toBe(false);
    t.addRange(3, 10); // already-applied seqs are ignored
    expect(t.applied).toBe(10);
  });

  it('jumps over a snapshot and keeps what lies beyond it', () => {
    const t = new SeqTracker(0);
    t.addRange(12, 12);
    t.addRange(20, 21);
    t.advanceTo(11);
    expect(t.applied).toBe(12);
    t.advanceTo(19);
    expect(t.applied).toBe(21);
    t.advanceTo(5);
    expect(t.applied).toBe(21);
  });
});
