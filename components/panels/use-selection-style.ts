/**
 * The style the panel shows: the selection's (a field whose values differ is 'mixed') or, with
 * nothing selected, the remembered style for new shapes. Recomputed at most once per frame from the
 * editor's shape cache, and React re-renders only when the summary actually changed (a drag of 100
 * shapes touches them every frame without changing their style).
 */
import { useEffect, useState } from 'react';
import type { Editor } from '@/components/editor/types';
import { observeShapes, STYLE_KEYS, type ShapeStyle } from '@/lib/board';
import { useUiStore } from '@/lib/ui/ui-store';

export const MIXED = 'mixed';
export type StyleSummary = {
  /** Selected shapes that still exist (0: the panel edits the style of new shapes). */
  count: number;
  /** Only images selected: of the style, just opacity applies to them. */
  imagesOnly: boolean;
  style: { [K in keyof ShapeStyle]: ShapeStyle[K] | typeof MIXED };
};

export function summarize(editor: Editor | null): StyleSummary {
  const ui = useUiStore.getState();
  const shapes = editor ? ui.selection.map((id) => editor.cache.get(id)).filter((s) => s !== undefined) : [];
  if (shapes.length === 0) return { count: 0, imagesOnly: false, style: { ...ui.currentStyle } };
  const style = { ...shapes[0].style } as StyleSummary['style'];
  for (const key of STYLE_KEYS) {
    if (shapes.some((s) => s.style[key] !== shapes[0].style[key])) (style as Record<string, unknown>)[key] = MIXED;
  }
  return { count: shapes.length, imagesOnly: shapes.every((s) => s.type === 'image'), style };
}

export function useSelectionStyle(editor: Editor | null): StyleSummary {
  const [key, setKey] = useState(() => JSON.stringify(summarize(editor)));
  useEffect(() => {
    let frame = 0;
    const update = () => {
      frame = 0;
      setKey(JSON.stringify(summarize(editor)));
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(update);
    };
    update();
    const stopUi = useUiStore.subscribe((s, prev) => {
      if (s.selection !== prev.selection || s.currentStyle !== prev.currentStyle) schedule();
    });
    const stopDoc = editor
      ? observeShapes(editor.board, ({ ids }) => {
          const selected = useUiStore.getState().selection;
          if (selected.some((id) => ids.has(id))) schedule();
        })
      : () => {};
    return () => {
      if (frame !== 0) cancelAnimationFrame(frame);
      stopUi();
      stopDoc();
    };
  }, [editor]);
  return JSON.parse(key) as StyleSummary;
}
