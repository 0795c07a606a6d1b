/** The images part of window.commonboard (lib/testing/test-api.ts ImagesTestApi, docs/testing.md). */
import { listShapes } from '@/lib/board';
import type { ImageInfo, ImagesTestApi } from '@/lib/testing/test-api';
import { boardFileTextWithFiles, importBoardFileWithFiles, svgTextWithImages } from '../panels/io-actions';
import { editorOrThrow } from '../panels/io-test-api';
import { useBoardSession } from '../session/board-session';
import { fileService } from './file-service';
import { useFileStore } from './file-store';

function list(): ImageInfo[] {
  const board = useBoardSession.getState().board;
  const cache = fileService()?.cache;
  const uploads = useFileStore.getState().uploads;
  if (!board) return [];
  return listShapes(board).flatMap((s) => {
    if (s.type !== 'image') return [];
    const up = uploads[s.fileId];
    return [{ id: s.id, fileId: s.fileId, status: up?.state ?? 'none', error: up?.state === 'failed' ? up.code : null, loaded: cache?.isLoaded(s.fileId) ?? false }];
  });
}

export function imagesTestApi(): ImagesTestApi {
  return {
    list,
    waitLoaded: (ids, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          const images = list().filter((i) => !ids || ids.includes(i.id));
          if ((!ids || images.length === ids.length) && images.every((i) => i.loaded)) return resolve();
          if (Date.now() - started > timeoutMs) return reject(new Error(`images not loaded: ${JSON.stringify(images.filter((i) => !i.loaded))}`));
          setTimeout(check, 50);
        };
        check();
      }),
    pendingUploads: () => useFileStore.getState().pending,
    bitmapMemory: () => fileService()?.cache.memory() ?? 0,
    exportJSON: () => boardFileTextWithFiles(editorOrThrow()),
    exportSVG: () => svgTextWithImages(editorOrThrow()),
    importJSON: async (text) => {
      const r = await importBoardFileWithFiles(editorOrThrow(), text);
      return r.ok ? { ok: true, ids: r.ids } : r;
    },
  };
}
