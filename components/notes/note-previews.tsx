'use client';

/**
 * Rich static previews of the notes on screen that are not being edited here: their formatted HTML
 * (headings, marks, lists, links) built from the sanitized Y.XmlFragment tree, laid exactly over the
 * canvas card. No editor is mounted, so hundreds of notes stay cheap; notes that are too small to
 * read, covered by a shape above them, or too many stay canvas-painted plain text
 * (lib/notes/note-previews.ts decides).
 *
 * A pan or zoom moves one container (a CSS transform set outside React); the visible set is
 * recomputed at most once per frame from the canvas' shape cache (one copy of the shapes and one
 * spatial index per board, shared), and a note's HTML is rebuilt only when that note changed.
 */
import { memo, useEffect, useRef, useState } from 'react';
import { getNoteTree, observeShapes, type NoteShape } from '@/lib/board';
import { shapeBounds } from '@/lib/board/shape-geometry';
import { noteTreeToHtml } from '@/lib/notes/note-html';
import { pickPreviews } from '@/lib/notes/note-previews';
import type { Camera } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import { editingNote, useEditorStore } from '../editor/editor-store';

type Preview = { note: NoteShape; html: string };

const samePreviews = (a: readonly Preview[], b: readonly Preview[]) => a.length === b.length && a.every((p, i) => p.note === b[i].note && p.html === b[i].html);

export function NotePreviews() {
  // the board on the canvas: the live one, or a version being viewed (components/history)
  const board = useEditorStore((s) => s.editor?.board ?? null);
  const layer = useRef<HTMLDivElement>(null);
  const [previews, setPreviews] = useState<Preview[]>([]);

  useEffect(() => {
    const el = layer.current;
    // ?previews=0 leaves every note to the canvas (benchmarks compare the two)
    if (!board || !el || new URLSearchParams(window.location.search).get('previews') === '0') return;
    const html = new Map<string, string>();
    let frame = 0;
    let current: Preview[] = [];
    // from the ResizeObserver: reading clientWidth per frame would force a layout while panning
    let size = { width: el.parentElement?.clientWidth ?? 0, height: el.parentElement?.clientHeight ?? 0 };

    const place = (camera: Camera) => {
      el.style.transform = `scale(${camera.zoom}) translate(${camera.x}px, ${camera.y}px)`;
    };
    const compute = () => {
      frame = 0;
      // the canvas' shape cache (already current: observeShapes updates it synchronously), not a second copy
      const editor = useEditorStore.getState().editor;
      if (!editor || editor.board !== board) return; // the editor store's subscription schedules us again
      const cache = editor.cache;
      const camera = useUiStore.getState().camera;
      place(camera);
      const box = { x: -camera.x, y: -camera.y, w: size.width / camera.zoom, h: size.height / camera.zoom };
      const visible = cache.query(box).map((s) => ({ id: s.id, type: s.type, fontSize: s.style.fontSize, bounds: shapeBounds(s, cache.lookup) }));
      const next: Preview[] = [];
      // the eraser fades the shapes it is about to remove on the canvas: an opaque preview would hide that
      const picked = useUiStore.getState().tool === 'eraser' ? [] : pickPreviews(visible, camera.zoom, editingNote(useEditorStore.getState()));
      for (const id of picked) {
        const note = cache.get(id);
        // a translucent note shows the canvas card (and its plain text) through: leave it to the canvas
        if (note?.type !== 'note' || note.style.opacity < 1) continue;
        let h = html.get(id);
        if (h === undefined) html.set(id, (h = noteTreeToHtml(getNoteTree(board, id) ?? [])));
        next.push({ note, html: h });
      }
      if (!samePreviews(next, current)) setPreviews((current = next));
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(compute);
    };
    // the first load waits a frame: the canvas paints the board first
    schedule();
    const stopShapes = observeShapes(board, ({ ids }) => {
      for (const id of ids) html.delete(id);
      schedule();
    });
    const stopUi = useUiStore.subscribe((s, prev) => {
      if (s.tool !== prev.tool) schedule();
      if (s.camera === prev.camera) return;
      place(s.camera); // the layer follows the canvas in the same frame; the set catches up next frame
      schedule();
    });
    const stopEditor = useEditorStore.subscribe((s, prev) => {
      if (s.editor !== prev.editor || s.editing !== prev.editing) schedule();
    });
    const resize = new ResizeObserver(([entry]) => {
      size = { width: entry.contentRect.width, height: entry.contentRect.height };
      schedule();
    });
    if (el.parentElement) resize.observe(el.parentElement);
    return () => {
      cancelAnimationFrame(frame);
      stopShapes();
      stopUi();
      stopEditor();
      resize.disconnect();
      setPreviews([]);
    };
  }, [board]);

  return (
    <div className="pointer-events-none absolute inset-0 overflow-hidden" aria-hidden>
      {/* its own compositor layer: a pan only moves it, the text is not re-rasterized */}
      <div ref={layer} className="absolute left-0 top-0 origin-top-left will-change-transform">
        {previews.map((p) => (
          <NotePreview key={p.note.id} note={p.note} html={p.html} />
        ))}
      </div>
    </div>
  );
}

const NotePreview = memo(function NotePreview({ note, html }: Preview) {
  return (
    <div
      data-testid="note-preview"
      data-note={note.id}
      className="note-card note-preview"
      style={{
        left: note.x,
        top: note.y,
        width: note.w,
        height: note.h,
        transform: note.rotation ? `rotate(${note.rotation}rad)` : undefined,
        backgroundColor: note.color,
        padding: Math.min(16, note.w / 8),
        fontSize: note.style.fontSize,
      }}
    >
      {/* built from the sanitized tree with every string escaped (lib/notes/note-html.ts) */}
      <div className="note-content" dangerouslySetInnerHTML={{ __html: html }} />
    </div>
  );
});
