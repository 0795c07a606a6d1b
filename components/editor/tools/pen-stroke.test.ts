import { describe, expect, it } from 'vitest';
import { listShapes } from '@/lib/board';
import { makePeers, syncAll } from '@/lib/board/test-helpers';
import type { Editor } from '../types';
import { PenStroke, STROKE_SPLIT_POINTS } from './creating';

describe('PenStroke', () => {
  it('continues a long stroke in a new stroke from its last point instead of dropping points', () => {
    const [a, b] = makePeers(2);
    // the stroke only uses the board and the user's name
    const editor = { board: a, userName: () => 'u' } as unknown as Editor;
    const stroke = new PenStroke(editor, { x: 0, y: 0 }, 0.5);
    const total = STROKE_SPLIT_POINTS * 2 + 500;
    for (let i = 1; i <= total; i++) {
      stroke.add({ x: i, y: Math.sin(i / 10) * 20 }, 0.5);
      if (i % 16 === 0) stroke.flush(); // one flush per frame
    }
    stroke.flush();
    syncAll([a, b]);
    const strokes = listShapes(b).filter((s) => s.type === 'freehand');
    expect(strokes.length).toBe(3);
    const points = strokes.map((s) => (s.type === 'freehand' ? s.points.length : 0));
    // every point arrived, plus one shared point per join
    expect(points.reduce((n, p) => n + p, 0)).toBe(total + 1 + strokes.length - 1);
    for (let i = 1; i < strokes.length; i++) {
      const prev = strokes[i - 1];
      const next = strokes[i];
      // the next stroke starts where the previous one ends
      expect(next.x).toBeCloseTo(prev.x + prev.w, 6);
    }
  });
});
