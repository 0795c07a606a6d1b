import { describe, expect, it } from 'vitest';
import { addShape, createHistory, getShape, openBoard, ShapeCache } from '@/lib/board';
import { useUiStore } from '@/lib/ui/ui-store';
import { toggleLockSelection, type Editor } from './editor';

describe('lock (before the editor core)', () => {
  it('lock is one undo step', () => {
    const board = openBoard();
    const cache = new ShapeCache();
    const id = addShape(board, { type: 'rect', x: 0, y: 0, w: 10, h: 10, createdBy: 't' });
    cache.reset(board);
    const history = createHistory(board);
    const editor: Editor = { board, cache, history, userName: () => 't', editable: () => true, viewport: () => ({ width: 100, height: 100 }), requestFrame: () => {}, measureText: () => ({ w: 1, h: 1 }) };
    useUiStore.getState().select([id]);
    toggleLockSelection(editor);
    expect(getShape(board, id)?.locked).toBe(true);
    expect(history.undo()).toBe(true);
    expect(getShape(board, id)?.locked).toBe(false);
  });
});
