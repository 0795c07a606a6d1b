'use client';

/** Export (PNG, SVG, JSON) of the selection or the board, JSON import with its errors shown, and (editors) deleting the board. */
import { useRef, useState } from 'react';
import { useEditorStore } from '@/components/editor/editor-store';
import { boardFileTextWithFiles, download, fileStem, importBoardFileWithFiles, scopeShapes, svgTextWithImages } from './io-actions';
import { DeleteBoardButton } from './delete-board';
import { shapesToPng } from './export-png';

const BUTTON = 'rounded-lg px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100 disabled:opacity-40 dark:text-slate-200 dark:hover:bg-slate-700';

export function BoardMenu({ boardId, canEdit }: { boardId: string; canEdit: boolean }) {
  const editor = useEditorStore((s) => s.editor);
  const fileRef = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; lines: string[] } | null>(null);
  const stem = fileStem(boardId);

  const exportPng = async () => {
    if (!editor) return;
    try {
      download(`${stem}.png`, await shapesToPng(scopeShapes(editor), editor.cache.lookup));
    } catch (e) {
      setMessage({ kind: 'error', lines: [`PNG export failed: ${(e as Error).message}`] });
    }
  };
  const onFile = async (file: File | undefined) => {
    if (!editor || !file) return;
    const result = await importBoardFileWithFiles(editor, await file.text());
    if (fileRef.current) fileRef.current.value = ''; // importing the same file twice must fire change again
    if (result.ok) {
      const migrated = result.migratedFrom ? ` (migrated from version ${result.migratedFrom})` : '';
      setMessage({ kind: 'info', lines: [`Imported ${result.ids.length} shapes${migrated}.`] });
    } else setMessage({ kind: 'error', lines: result.errors });
  };

  return (
    <div className="absolute right-3 top-3 flex flex-col items-end gap-2">
      <div role="toolbar" aria-label="Export and import" className="flex items-center gap-0.5 rounded-xl border border-slate-200 bg-white p-1 shadow-md dark:border-slate-700 dark:bg-slate-800">
        <span className="px-1 text-[11px] uppercase tracking-wide text-slate-400">Export</span>
        <button type="button" data-testid="export-png" title="Export the selection (or the board) as PNG" disabled={!editor} onClick={exportPng} className={BUTTON}>
          PNG
        </button>
        <button type="button" data-testid="export-svg" title="Export the selection (or the board) as SVG" disabled={!editor} onClick={() => void (editor && svgTextWithImages(editor).then((svg) => download(`${stem}.svg`, new Blob([svg], { type: 'image/svg+xml' }))))} className={BUTTON}>
          SVG
        </button>
        <button type="button" data-testid="export-json" title="Export the board as a Commonboard JSON file" disabled={!editor} onClick={() => void (editor && boardFileTextWithFiles(editor).then((json) => download(`${stem}.json`, new Blob([json], { type: 'application/json' }))))} className={BUTTON}>
          JSON
        </button>
        {canEdit ? (
          <>
            <label className={`${BUTTON} cursor-pointer`} title="Import shapes from a Commonboard JSON file">
              Import
              <input ref={fileRef} type="file" accept="application/json,.json" data-testid="import-json" className="sr-only" onChange={(e) => void onFile(e.target.files?.[0])} />
            </label>
            <span className="mx-0.5 h-4 w-px bg-slate-200 dark:bg-slate-700" aria-hidden />
            <DeleteBoardButton boardId={boardId} className={BUTTON} />
          </>
        ) : null}
      </div>
      {message ? (
        <div
          role={message.kind === 'error' ? 'alert' : 'status'}
          data-testid={message.kind === 'error' ? 'import-errors' : 'import-result'}
          className={`max-w-sm rounded-lg border px-3 py-2 text-xs shadow ${message.kind === 'error' ? 'border-red-200 bg-red-50 text-red-800' : 'border-emerald-200 bg-emerald-50 text-emerald-800'}`}
        >
          <div className="flex items-start gap-2">
            <ul className="space-y-0.5">
              {message.kind === 'error' ? <li className="font-semibold">Import failed</li> : null}
              {message.lines.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
            <button type="button" onClick={() => setMessage(null)} className="ml-auto opacity-60 hover:opacity-100">
              ✕<span className="sr-only">Dismiss</span>
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
