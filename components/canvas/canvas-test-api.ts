/** The canvas part of window.commonboard (see lib/testing/test-api.ts and docs/testing.md). */
import { getShape } from '@/lib/board';
import { resolveLinePoints } from '@/lib/board/shape-geometry';
import type { CanvasTestApi } from '@/lib/testing/test-api';
import { useUiStore } from '@/lib/ui/ui-store';
import { renderTimes, useEditorStore } from '../editor/editor-store';

export function canvasTestApi(): CanvasTestApi {
  return {
    getSelection: () => {
      const editor = useEditorStore.getState().editor;
      return editor ? editor.selectedShapes().map((s) => s.id) : [];
    },
    getTool: () => useUiStore.getState().tool,
    getLinePoints: (id) => {
      const editor = useEditorStore.getState().editor;
      const shape = editor ? getShape(editor.board, id) : null;
      if (!editor || !shape || (shape.type !== 'line' && shape.type !== 'arrow')) return null;
      return resolveLinePoints(shape, (other) => getShape(editor.board, other));
    },
    getRenderTimes: () => [...renderTimes],
    getHistory: () => {
      const { canUndo, canRedo } = useEditorStore.getState();
      return { canUndo, canRedo };
    },
  };
}
