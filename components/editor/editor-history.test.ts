/**
 * The undo history is the board's, not the editor's: the canvas swaps its editor to show a version
 * of the board read-only and back, and the user's live undo stack must come back with the board.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addShape, getShape, listShapes, openBoard, type Board, type ShapeId } from '@/lib/board';
import { runOnBoard } from './editor';
import { useEditorStore, whenEditorFor } from './editor-store';
import { testEditor } from './test-editor';
import type { Editor } from './types';

const mounted: Editor[] = [];
afterEach(() => mounted.splice(0).forEach((e) => e.dispose()));

function mount(board: Board): Editor {
  const editor = testEditor(board);
  mounted.push(editor);
  return editor;
}

/** What the canvas does when it switches boards. */
function unmount(editor: Editor): void {
  mounted.splice(mounted.indexOf(editor), 1);
  editor.dispose();
}

const rect = (e: Editor, x: number): ShapeId => e.run(() => addShape(e.board, { type: 'rect', x, y: 0, w: 100, h: 80, createdBy: 't' }));

describe('one undo history per board, across editors', () => {
  it('keeps the live undo and redo stacks while another board (a version) is shown, and brings them back', () => {
    const live = openBoard();
    const first = mount(live);
    const a = rect(first, 0);
    const b = rect(first, 200);
    first.undo(); // b is on the redo stack
    unmount(first);

    const version = mount(openBoard()); // the canvas shows a version: its own, empty history
    expect(useEditorStore.getState()).toMatchObject({ canUndo: false, canRedo: false });
    unmount(version);

    const back = mount(live);
    expect(useEditorStore.getState()).toMatchObject({ editor: back, canUndo: true, canRedo: true });
    back.redo();
    expect(getShape(live, b)).not.toBeNull();
    back.undo();
    back.undo();
    expect(getShape(live, a)).toBeNull();
    expect(useEditorStore.getState().canUndo).toBe(false);
  });

  it('a gesture left open by a disposed editor does not swallow the next change', () => {
    const live = openBoard();
    const first = mount(live);
    const a = first.run(() => addShape(live, { type: 'rect', x: 0, y: 0, w: 10, h: 10, createdBy: 't' }), { gesture: true });
    unmount(first); // no endGesture(): e.g. the canvas switched boards mid-edit
    const next = mount(live);
    const b = next.run(() => addShape(live, { type: 'rect', x: 50, y: 0, w: 10, h: 10, createdBy: 't' }), { gesture: true }); // a drag's first frame
    next.endGesture();
    next.undo();
    expect(getShape(live, b)).toBeNull();
    expect(getShape(live, a)).not.toBeNull();
  });

  it('runOnBoard writes one undo step into the history of a board whose editor is not mounted', () => {
    const live = openBoard();
    const liveEditor = mount(live);
    const a = rect(liveEditor, 0);
    unmount(liveEditor);
    const version = mount(openBoard());
    const brought = runOnBoard(live, () => [
      addShape(live, { type: 'rect', x: 300, y: 0, w: 10, h: 10, createdBy: 't' }),
      addShape(live, { type: 'ellipse', x: 400, y: 0, w: 10, h: 10, createdBy: 't' }),
    ]);
    expect(version.board).not.toBe(live);
    unmount(version);
    const back = mount(live);
    back.undo(); // both shapes in one step
    expect(listShapes(live).map((s) => s.id)).toEqual([a]);
    expect(brought.every((id) => getShape(live, id) === null)).toBe(true);
    back.undo();
    expect(listShapes(live)).toHaveLength(0);
  });

  it('whenEditorFor resolves once an editor is mounted on the board', async () => {
    const live = openBoard();
    const waiting = whenEditorFor(live);
    mount(openBoard());
    const editor = mount(live);
    await expect(waiting).resolves.toBe(editor);
    await expect(whenEditorFor(live)).resolves.toBe(editor);
  });
});
