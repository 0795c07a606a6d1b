'use client';

import { useRef } from 'react';
import { useEditorStore } from '@/components/editor/editor-store';
import { addImageFiles } from '@/components/files/file-service';
import { IMAGE_TYPES } from '@/lib/files/file-contract';
import { TOOLS, useUiStore, type Tool } from '@/lib/ui/ui-store';

const LABELS: Record<Tool, { label: string; key: string; icon: string }> = {
  select: { label: 'Select', key: 'V', icon: 'M5 3 L5 19 L9.5 14.5 L12.5 21 L15 20 L12 13.5 L18 13.5 Z' },
  hand: { label: 'Hand', key: 'H', icon: 'M8 13 V5.5 A1.5 1.5 0 0 1 11 5.5 V11 M11 5 V3.5 A1.5 1.5 0 0 1 14 3.5 V11 M14 5.5 A1.5 1.5 0 0 1 17 5.5 V12 M17 8.5 A1.5 1.5 0 0 1 20 8.5 V15 A6 6 0 0 1 14 21 H12 A6 6 0 0 1 7 18 L4.5 13.5 A1.5 1.5 0 0 1 7.5 12 L8 13' },
  rectangle: { label: 'Rectangle', key: 'R', icon: 'M4 6 H20 V18 H4 Z' },
  ellipse: { label: 'Ellipse', key: 'O', icon: 'M3 12 A9 6.5 0 1 0 21 12 A9 6.5 0 1 0 3 12 Z' },
  diamond: { label: 'Diamond', key: 'D', icon: 'M12 3 L21 12 L12 21 L3 12 Z' },
  line: { label: 'Line', key: 'L', icon: 'M5 19 L19 5' },
  arrow: { label: 'Arrow', key: 'A', icon: 'M5 19 L19 5 M10 5 H19 V14' },
  pen: { label: 'Pen', key: 'P', icon: 'M4 20 L5 15 L16 4 L20 8 L9 19 Z M14 6 L18 10' },
  text: { label: 'Text', key: 'T', icon: 'M5 6 V4 H19 V6 M12 4 V20 M9 20 H15' },
  note: { label: 'Sticky note', key: 'N', icon: 'M4 4 H20 V14 L14 20 H4 Z M14 20 V14 H20' },
  eraser: { label: 'Eraser', key: 'E', icon: 'M8 20 H20 M4 15 L13 6 L19 12 L12 19 H8 Z M9 10 L15 16' },
};

function Icon({ d }: { d: string }) {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
      <path d={d} />
    </svg>
  );
}

const BUTTON = 'flex h-9 w-9 items-center justify-center rounded-lg transition-colors';

export function Toolbar() {
  const tool = useUiStore((s) => s.tool);
  const setTool = useUiStore((s) => s.setTool);
  const grid = useUiStore((s) => s.grid);
  const toggleGrid = useUiStore((s) => s.toggleGrid);
  const editor = useEditorStore((s) => s.editor);
  const canUndo = useEditorStore((s) => s.canUndo);
  const canRedo = useEditorStore((s) => s.canRedo);
  return (
    <div role="toolbar" aria-label="Tools" className="flex gap-1 rounded-xl border border-slate-200 bg-white p-1 shadow-md dark:border-slate-700 dark:bg-slate-800">
      {TOOLS.map((t) => {
        const { label, key, icon } = LABELS[t];
        const active = t === tool;
        return (
          <button
            key={t}
            type="button"
            data-testid={`tool-${t}`}
            aria-pressed={active}
            title={`${label} (${key})`}
            onClick={() => setTool(t)}
            className={`${BUTTON} ${active ? 'bg-blue-600 text-white' : 'text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-700'}`}
          >
            <Icon d={icon} />
            <span className="sr-only">{label}</span>
          </button>
        );
      })}
      <ImageButton />
      <span className="mx-1 w-px self-stretch bg-slate-200 dark:bg-slate-700" aria-hidden />
      <button type="button" data-testid="undo" title="Undo (Ctrl+Z)" disabled={!canUndo} onClick={() => editor?.undo()} className={`${BUTTON} text-slate-700 hover:bg-slate-100 disabled:opacity-40 dark:text-slate-200 dark:hover:bg-slate-700`}>
        <Icon d="M9 14 L4 9 L9 4 M4 9 H15 A5 5 0 0 1 15 19 H11" />
        <span className="sr-only">Undo</span>
      </button>
      <button type="button" data-testid="redo" title="Redo (Ctrl+Shift+Z)" disabled={!canRedo} onClick={() => editor?.redo()} className={`${BUTTON} text-slate-700 hover:bg-slate-100 disabled:opacity-40 dark:text-slate-200 dark:hover:bg-slate-700`}>
        <Icon d="M15 14 L20 9 L15 4 M20 9 H9 A5 5 0 0 0 9 19 H13" />
        <span className="sr-only">Redo</span>
      </button>
      <button type="button" data-testid="toggle-grid" aria-pressed={grid} title="Grid (Ctrl+')" onClick={toggleGrid} className={`${BUTTON} ${grid ? 'text-blue-600 dark:text-blue-400' : 'text-slate-400'} hover:bg-slate-100 dark:hover:bg-slate-700`}>
        <Icon d="M4 4 H20 V20 H4 Z M4 10 H20 M4 15 H20 M10 4 V20 M15 4 V20" />
        <span className="sr-only">Toggle grid</span>
      </button>
    </div>
  );
}

/**
 * "Image": a file picker (several files at once). The toolbar is shown to editors only, so viewers
 * have no button; the type is decided by sniffing the bytes, `accept` only filters the dialog.
 */
function ImageButton() {
  const input = useRef<HTMLInputElement>(null);
  const editor = useEditorStore((s) => s.editor);
  return (
    <>
      <button type="button" data-testid="image-tool" title="Image (from a file)" disabled={!editor} onClick={() => input.current?.click()} className={`${BUTTON} text-slate-700 hover:bg-slate-100 disabled:opacity-40 dark:text-slate-200 dark:hover:bg-slate-700`}>
        <Icon d="M4 5 H20 V19 H4 Z M4 16 L9 11 L13 15 L16 12 L20 16 M15 9 A1 1 0 1 0 15.01 9" />
        <span className="sr-only">Image</span>
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept={IMAGE_TYPES.join(',')}
        data-testid="image-file-input"
        aria-label="Add images from files"
        className="hidden"
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = ''; // the same file can be picked again
          if (editor && files.length > 0) void addImageFiles(editor, files);
        }}
      />
    </>
  );
}
