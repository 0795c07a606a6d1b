'use client';

/**
 * The panels around the canvas (style, zoom, export/import menu, shortcuts help) and the board-wide
 * keys they own: copy / cut / paste and `?`. Clipboard work runs in the browser's copy, cut and
 * paste events: they carry the system clipboard synchronously and need no permission prompt, so a
 * copy in one tab pastes in another. Focus inside a text field or note editor keeps native behaviour.
 */
import { useCallback, useEffect, useState } from 'react';
import { useEditorStore } from '@/components/editor/editor-store';
import { whenSynced } from '@/components/session/board-session';
import { addImageFiles } from '@/components/files/file-service';
import { showToast } from '@/components/ui/toast';
import { fileErrorText } from '@/lib/files/file-contract';
import { BoardMenu } from './board-menu';
import { clipboardText, cutSelection, pasteText } from './io-actions';
import { ShortcutsDialog } from './shortcuts-dialog';
import { StylePanel } from './style-panel';
import { ZoomControls } from './zoom-controls';

export const FIRST_RENDER_MARK = 'commonboard:first-render';
export const SYNCED_MARK = 'commonboard:synced';

/** Files on the clipboard (copied files, or an image a browser or screenshot tool put there). */
function clipboardFiles(data: DataTransfer): File[] {
  const files = [...data.files];
  if (files.length > 0) return files;
  return [...data.items].filter((i) => i.kind === 'file').map((i) => i.getAsFile()).filter((f): f is File => f !== null);
}

function isEditableTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** Marks the first frame drawn after the initial sync (benchmarks measure navigation -> this mark). */
function markFirstRender(): void {
  void whenSynced().then(() => {
    if (performance.getEntriesByName(SYNCED_MARK).length === 0) performance.mark(SYNCED_MARK);
    requestAnimationFrame(() => {
      // the canvas' own frame callback for the synced content was queued first, so it has drawn by now
      if (performance.getEntriesByName(FIRST_RENDER_MARK).length === 0) performance.mark(FIRST_RENDER_MARK);
    });
  });
}

function useClipboard(canEdit: boolean): void {
  useEffect(() => {
    const onCopy = (e: ClipboardEvent, cut: boolean) => {
      const editor = useEditorStore.getState().editor;
      if (!editor || isEditableTarget(e.target) || !e.clipboardData) return;
      const text = cut ? (canEdit ? cutSelection(editor) : null) : clipboardText(editor);
      if (text === null) return;
      e.clipboardData.setData('text/plain', text);
      e.preventDefault();
    };
    const copy = (e: ClipboardEvent) => onCopy(e, false);
    const cut = (e: ClipboardEvent) => onCopy(e, true);
    const paste = (e: ClipboardEvent) => {
      const editor = useEditorStore.getState().editor;
      if (!editor || isEditableTarget(e.target) || !e.clipboardData) return;
      const files = clipboardFiles(e.clipboardData);
      if (!canEdit) {
        if (files.length === 0) return;
        e.preventDefault();
        showToast(fileErrorText('forbidden')); // say why nothing happened
        return;
      }
      e.preventDefault();
      if (files.length > 0) {
        // a screenshot or copied image (files win over the text some apps add next to them)
        void addImageFiles(editor, files);
        return;
      }
      const result = pasteText(editor, e.clipboardData.getData('text/plain'));
      if (result.errors.length > 0) console.warn('paste refused:', result.errors.join('; '));
    };
    document.addEventListener('copy', copy);
    document.addEventListener('cut', cut);
    document.addEventListener('paste', paste);
    return () => {
      document.removeEventListener('copy', copy);
      document.removeEventListener('cut', cut);
      document.removeEventListener('paste', paste);
    };
  }, [canEdit]);
}

export function BoardPanels({ boardId, canEdit }: { boardId: string; canEdit: boolean }) {
  const [help, setHelp] = useState(false);
  const closeHelp = useCallback(() => setHelp(false), []);
  useClipboard(canEdit);
  useEffect(markFirstRender, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '?' && !e.ctrlKey && !e.metaKey && !isEditableTarget(e.target)) {
        e.preventDefault();
        setHelp((open) => !open);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <>
      {canEdit ? <StylePanel /> : null}
      <ZoomControls />
      <BoardMenu boardId={boardId} canEdit={canEdit} />
      <button
        type="button"
        data-testid="shortcuts-button"
        title="Keyboard shortcuts (?)"
        onClick={() => setHelp(true)}
        className="absolute bottom-3 right-3 flex h-8 w-8 items-center justify-center rounded-full border border-slate-200 bg-white text-sm font-semibold text-slate-600 shadow-md hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200"
      >
        ?
      </button>
      <ShortcutsDialog open={help} onClose={closeHelp} />
    </>
  );
}
