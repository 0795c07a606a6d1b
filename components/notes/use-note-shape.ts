/** The live parsed note (or null when it is gone or not a note), re-rendering only when that note changes. */
import { useCallback, useRef, useSyncExternalStore } from 'react';
import { getShape, observeShapes, type Board, type NoteShape, type ShapeId } from '@/lib/board';

export function useNoteShape(board: Board | null, id: ShapeId | null): NoteShape | null {
  const cache = useRef<{ board: Board | null; id: ShapeId | null; note: NoteShape | null; fresh: boolean }>({ board: null, id: null, note: null, fresh: false });
  const subscribe = useCallback(
    (notify: () => void) => {
      if (!board || !id) return () => {};
      return observeShapes(board, ({ ids }) => {
        if (!ids.has(id)) return;
        cache.current.fresh = false;
        notify();
      });
    },
    [board, id],
  );
  const read = useCallback(() => {
    const c = cache.current;
    if (c.fresh && c.board === board && c.id === id) return c.note;
    const shape = board && id ? getShape(board, id) : null;
    cache.current = { board, id, note: shape?.type === 'note' ? shape : null, fresh: true };
    return cache.current.note;
  }, [board, id]);
  return useSyncExternalStore(subscribe, read, () => null);
}
