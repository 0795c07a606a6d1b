'use client';

/** Zoom out / reset (shows the zoom) / in / fit, bottom left of the board. */
import { zoom, type ZoomCommand } from '@/components/editor/commands';
import { useEditorStore } from '@/components/editor/editor-store';
import { useUiStore } from '@/lib/ui/ui-store';

const BUTTON = 'flex h-8 min-w-8 items-center justify-center rounded-lg px-1.5 text-sm text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-700';

export function ZoomControls() {
  const editor = useEditorStore((s) => s.editor);
  const percent = useUiStore((s) => Math.round(s.camera.zoom * 100));
  const run = (command: ZoomCommand) => editor && zoom(editor, command);
  return (
    <div role="toolbar" aria-label="Zoom" className="absolute bottom-3 left-3 flex items-center gap-0.5 rounded-xl border border-slate-200 bg-white p-1 shadow-md dark:border-slate-700 dark:bg-slate-800">
      <button type="button" data-testid="zoom-out" title="Zoom out (Ctrl+-)" onClick={() => run('out')} className={BUTTON}>
        −
      </button>
      <button type="button" data-testid="zoom-reset" title="Reset zoom (Shift+0)" onClick={() => run('reset')} className={`${BUTTON} w-14 tabular-nums`}>
        {percent}%
      </button>
      <button type="button" data-testid="zoom-in" title="Zoom in (Ctrl+=)" onClick={() => run('in')} className={BUTTON}>
        +
      </button>
      <button type="button" data-testid="zoom-fit" title="Zoom to fit (Shift+1)" onClick={() => run('fit')} className={BUTTON}>
        <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" aria-hidden>
          <path d="M4 9 V4 H9 M15 4 H20 V9 M20 15 V20 H15 M9 20 H4 V15" />
        </svg>
        <span className="sr-only">Zoom to fit</span>
      </button>
    </div>
  );
}
