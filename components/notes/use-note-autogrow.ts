/**
 * Sticky-note auto-grow: while a note's editor is open, the note's stored height follows its
 * content, so the card on everyone's canvas shows the whole text instead of scrolling. It grows as
 * soon as the content overflows and shrinks back (never below the height it had when the editor
 * opened) once a whole line is free.
 *
 * Two users editing one note both measure; the hysteresis (grow on overflow, shrink only past a
 * line of slack) stops two slightly different measurements from writing against each other forever.
 * The writes carry their own origin: the board's undo tracks LOCAL only, so a height that followed
 * the text is never an undo step of its own.
 */
import type { Editor } from '@tiptap/react';
import { useEffect, useRef } from 'react';
import { updateShape, type Board, type NoteShape } from '@/lib/board';

export const AUTOGROW = { source: 'note-autogrow' } as const;

/** The stored height a note should get for `contentHeight` (board units, padding included), or null to keep it. */
export function autoGrowHeight(stored: number, contentHeight: number, floor: number, lineHeight: number): number | null {
  const wanted = Math.ceil(Math.max(floor, contentHeight));
  if (wanted > stored + 0.5) return wanted; // overflowing: grow
  if (wanted < stored - lineHeight) return wanted; // a line or more free: shrink
  return null;
}

/**
 * Height of the text itself in board units: the editable fills at least its card, so its own box
 * says nothing about the text; the last block's bottom edge does. Screen rects carry the camera's
 * CSS scale, which is divided out.
 */
function contentHeight(content: HTMLElement): number {
  const last = content.lastElementChild;
  if (!last || content.offsetWidth === 0) return 0;
  const box = content.getBoundingClientRect();
  const scale = box.width / content.offsetWidth;
  return (last.getBoundingClientRect().bottom - box.top) / scale;
}

export function useNoteAutoGrow(board: Board, note: NoteShape, editor: Editor | null, pad: number): void {
  const floor = useRef(note.h); // the height when the editor opened
  const latest = useRef(note);
  useEffect(() => {
    latest.current = note;
  }, [note]);

  useEffect(() => {
    const content = editor?.view.dom;
    if (!editor || !(content instanceof HTMLElement)) return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      const n = latest.current;
      const next = autoGrowHeight(n.h, contentHeight(content) + 2 * pad, floor.current, n.style.fontSize * 1.25);
      if (next !== null) updateShape(board, n.id, { h: next }, AUTOGROW);
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(measure);
    };
    // every doc change (local typing and remote updates alike), plus resizes (fonts, width)
    editor.on('update', schedule);
    const observer = new ResizeObserver(schedule);
    observer.observe(content);
    schedule();
    return () => {
      editor.off('update', schedule);
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [board, editor, pad]);
}
