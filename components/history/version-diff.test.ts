import { describe, expect, it } from 'vitest';
import { addShape, boardFromState, deleteShapes, encodeBoardState, moveShapes, openBoard, type Board } from '@/lib/board';
import { makePeers, syncAll } from '@/lib/board/test-helpers';
import { VersionDiff } from './version-diff';
import { changesText, editorsText, preRestoreName, resetSummary, versionLabel, versionTime } from './version-format';

const rect = (board: Board, x: number) => addShape(board, { type: 'rect', x, y: 0, w: 50, h: 50, createdBy: 't' });

describe('VersionDiff: the viewed version against the live board', () => {
  it('classifies added / changed / removed since the version, and follows live edits incrementally', () => {
    const live = openBoard();
    const kept = rect(live, 0);
    const moved = rect(live, 100);
    const gone = rect(live, 200);
    const version = boardFromState(encodeBoardState(live));
    moveShapes(live, [moved], { x: 5, y: 0 });
    deleteShapes(live, [gone]);
    const fresh = rect(live, 5000);

    let changes = 0;
    const diff = new VersionDiff(live, version, () => changes++);
    expect([...diff.added]).toEqual([fresh]);
    expect([...diff.changed]).toEqual([moved]);
    expect([...diff.removed]).toEqual([gone]);
    expect(diff.kindOf(kept)).toBeNull();
    expect(diff.counts()).toEqual({ added: 1, changed: 1, removed: 1 });

    // someone edits live meanwhile: only the touched ids are re-read
    moveShapes(live, [moved], { x: -5, y: 0 }); // back to the version's position: no longer changed
    deleteShapes(live, [kept]);
    expect(changes).toBe(2);
    expect(diff.kindOf(moved)).toBeNull();
    expect(diff.kindOf(kept)).toBe('removed');

    // the live-only shapes are found through the live cache's spatial index, where they are now
    expect(diff.live.query({ x: 4900, y: -10, w: 300, h: 100 }).map((s) => s.id)).toEqual([fresh]);
    diff.dispose();
    rect(live, 9000);
    expect(changes).toBe(2);
  });

  it('sees a peer’s changes arriving on the live board', () => {
    const [live, peer] = makePeers(2);
    const a = rect(peer, 0);
    syncAll([live, peer]);
    const version = boardFromState(encodeBoardState(live));
    const diff = new VersionDiff(live, version, () => {});
    deleteShapes(peer, [a]);
    syncAll([live, peer]);
    expect(diff.kindOf(a)).toBe('removed');
    diff.dispose();
  });
});

describe('version wording', () => {
  const at = new Date(2026, 11, 4, 14, 5).getTime();
  it('shows the time today, the date on other days', () => {
    expect(versionTime(at, at + 60_000)).toMatch(/14.05/);
    expect(versionTime(at, at + 3 * 86_400_000)).toMatch(/4.*14.05/);
  });

  it('counts changes compactly and names versions', () => {
    expect(changesText({ added: 3, changed: 2, removed: 1 })).toBe('+3 ~2 −1');
    expect(changesText({ added: 0, changed: 0, removed: 4 })).toBe('−4');
    expect(changesText({ added: 0, changed: 0, removed: 0 })).toBe('no changes');
    expect(editorsText(['Ann', 'Bo', 'Cy', 'Di'])).toBe('Ann, Bo and 2 others');
    expect(versionLabel({ name: 'Demo', createdAt: at })).toBe('“Demo”');
    expect(versionLabel({ name: null, createdAt: at }, at)).toMatch(/^the version of 14.05$/);
    expect(preRestoreName('Before restoring', { name: 'x'.repeat(100), createdAt: at })).toHaveLength(100);
    expect(resetSummary({ added: 1, changed: 0, removed: 3 })).toBe('1 shape added since will be removed and 3 shapes removed since will come back');
    expect(resetSummary({ added: 2, changed: 1, removed: 1 })).toBe(
      '2 shapes added since will be removed, 1 shape changed since will be put back and 1 shape removed since will come back',
    );
  });
});
