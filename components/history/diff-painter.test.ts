import { afterEach, describe, expect, it } from 'vitest';
import { addShape, boardFromState, deleteShapes, encodeBoardState, moveShapes, openBoard, type Board } from '@/lib/board';
import { RecordingContext } from '@/lib/render/testing/recording-context';
import { testEditor } from '../editor/test-editor';
import type { Editor } from '../editor/types';
import { DIFF_COLORS, paintVersionDiff } from './diff-painter';
import { VersionDiff } from './version-diff';

let editor: Editor | null = null;
let diff: VersionDiff | null = null;
afterEach(() => {
  editor?.dispose();
  diff?.dispose();
});

const rect = (board: Board, x: number, y = 0) => addShape(board, { type: 'rect', x, y, w: 100, h: 50, createdBy: 't' });

/** The rectangles a paint drew, as [colour, op, dashed, x, y] of their first corner. */
function painted(ctx: RecordingContext): [string, string, boolean, number, number][] {
  return ctx.ops.map((o) => {
    const shape = o.op === 'text' ? null : o.shapes[0];
    const corner = shape?.kind === 'poly' ? shape.points[0] : { x: NaN, y: NaN };
    return [o.color, o.op, o.op === 'stroke' && o.dash.length > 0, Math.round(corner.x), Math.round(corner.y)];
  });
}

describe('paintVersionDiff', () => {
  it('frames the version shapes changed and removed since, outlines the live-only ones, and only on screen', () => {
    const live = openBoard();
    const same = rect(live, 0);
    const moved = rect(live, 200);
    const gone = rect(live, 400);
    const goneFar = rect(live, 5000); // off screen: never painted
    const version = boardFromState(encodeBoardState(live));
    moveShapes(live, [moved], { x: 0, y: 100 });
    deleteShapes(live, [gone, goneFar]);
    const added = rect(live, 600, 300);
    rect(live, 6000, 300); // added, off screen

    editor = testEditor(version); // identity camera, 1000 x 800
    diff = new VersionDiff(live, version, () => {});
    expect(diff.kindOf(same)).toBeNull();
    const ctx = new RecordingContext(() => 0);
    paintVersionDiff(ctx as unknown as CanvasRenderingContext2D, editor, { width: 1000, height: 800, dpr: 1 }, diff);

    // each frame: the shape's bounds (its stroke included: 2 px) and 5 px around them
    expect(painted(ctx)).toEqual([
      [`${DIFF_COLORS.changed}1f`, 'fill', false, 193, -7], // where the version has it
      [DIFF_COLORS.changed, 'stroke', false, 193, -7],
      [`${DIFF_COLORS.removed}1f`, 'fill', false, 393, -7],
      [DIFF_COLORS.removed, 'stroke', false, 393, -7],
      [DIFF_COLORS.added, 'stroke', true, 593, 293], // where it is live
    ]);
    expect(diff.kindOf(added)).toBe('added');
  });
});
