/** The history part of window.commonboard (see lib/testing/test-api.ts and docs/testing.md). */
import { listShapes } from '@/lib/board';
import type { HistoryTestApi } from '@/lib/testing/test-api';
import { whenEditorFor } from '../editor/editor-store';
import { listVersions } from './history-api';
import { backToLive, openPanel, viewVersion } from './history-actions';
import { useHistoryStore } from './history-store';

export function historyTestApi(): HistoryTestApi {
  return {
    list: async () => {
      const { versions, corrupt } = await listVersions();
      return { versions, corrupt };
    },
    open: async (id) => {
      openPanel();
      if (!(await viewVersion(id))) throw new Error(useHistoryStore.getState().notice?.text ?? `version ${id} could not be shown`);
      const viewing = useHistoryStore.getState().viewing;
      if (viewing) await whenEditorFor(viewing.board); // on the canvas, not only in the store
    },
    back: backToLive,
    viewing: () => {
      const viewing = useHistoryStore.getState().viewing;
      if (!viewing) return null;
      const { added, changed, removed } = viewing.diff;
      return { versionId: viewing.meta.id, shapes: listShapes(viewing.board), diff: { added: [...added], changed: [...changed], removed: [...removed] } };
    },
    isOpen: () => useHistoryStore.getState().open,
  };
}
