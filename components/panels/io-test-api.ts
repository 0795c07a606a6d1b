/** The export / import / theme part of window.commonboard (see lib/testing/test-api.ts and docs/testing.md). */
import { useEditorStore } from '@/components/editor/editor-store';
import type { IoTestApi } from '@/lib/testing/test-api';
import { useThemeStore } from '@/lib/ui/theme';
import { useUiStore } from '@/lib/ui/ui-store';
import { boardFileText, importBoardFile, svgText } from './io-actions';

/** The mounted editor, for test API calls (they throw a clear error before the board is open). */
export function editorOrThrow() {
  const editor = useEditorStore.getState().editor;
  if (!editor) throw new Error('the board is not open yet');
  return editor;
}

export function ioTestApi(): IoTestApi {
  return {
    exportJSON: () => boardFileText(editorOrThrow()),
    importJSON: (text) => importBoardFile(editorOrThrow(), text),
    exportSVG: () => svgText(editorOrThrow()),
    getTheme: () => useThemeStore.getState().theme,
    getCurrentStyle: () => ({ ...useUiStore.getState().currentStyle }),
  };
}
