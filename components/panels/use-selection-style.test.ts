import { describe, expect, it } from 'vitest';
import { testEditor } from '@/components/editor/test-editor';
import { addImages, addShape, openBoard } from '@/lib/board';
import type { FileId } from '@/lib/files/file-contract';
import { useUiStore } from '@/lib/ui/ui-store';
import { summarize } from './use-selection-style';

describe('the style summary', () => {
  it('says when only images are selected (the panel then offers opacity alone)', () => {
    const board = openBoard();
    const editor = testEditor(board);
    const [image] = addImages(board, [{ fileId: 'a'.repeat(64) as FileId, mime: 'image/png', bytes: 10, naturalWidth: 20, naturalHeight: 10 }], { center: { x: 0, y: 0 }, createdBy: 'Ann' });
    const rect = addShape(board, { type: 'rect', x: 0, y: 0, w: 10, h: 10, createdBy: 'Ann' });
    editor.flush();
    const ui = useUiStore.getState();
    ui.select([image]);
    expect(summarize(editor)).toMatchObject({ count: 1, imagesOnly: true });
    ui.select([image, rect]);
    expect(summarize(editor)).toMatchObject({ count: 2, imagesOnly: false });
    ui.select([]);
    expect(summarize(editor)).toMatchObject({ count: 0, imagesOnly: false });
  });
});
