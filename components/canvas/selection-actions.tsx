'use client';

/** A small bar of selection commands (order, duplicate, delete, lock), shown while something is selected. */
import { useUiStore } from '@/lib/ui/ui-store';
import { deleteSelection, duplicateSelection, reorderSelection, toggleLockSelection } from '../editor/commands';
import { useEditorStore } from '../editor/editor-store';
import type { Editor } from '../editor/types';
import { ImageActions } from './image-actions';
import { useOverlayStore } from './overlay-store';

const ACTIONS: { id: string; label: string; run: (editor: Editor) => void }[] = [
  { id: 'bring-to-front', label: 'Bring to front (Shift+])', run: (e) => reorderSelection(e, 'bring-to-front') },
  { id: 'bring-forward', label: 'Bring forward (])', run: (e) => reorderSelection(e, 'bring-forward') },
  { id: 'send-backward', label: 'Send backward ([)', run: (e) => reorderSelection(e, 'send-backward') },
  { id: 'send-to-back', label: 'Send to back (Shift+[)', run: (e) => reorderSelection(e, 'send-to-back') },
  { id: 'duplicate', label: 'Duplicate (Ctrl+D)', run: duplicateSelection },
  { id: 'lock', label: 'Lock / unlock (Shift+L)', run: toggleLockSelection },
  { id: 'delete', label: 'Delete (Del)', run: deleteSelection },
];

const ICONS: Record<string, string> = {
  'bring-to-front': 'M12 4 L12 16 M7 9 L12 4 L17 9 M5 20 H19',
  'bring-forward': 'M12 6 L12 18 M7 11 L12 6 L17 11',
  'send-backward': 'M12 6 L12 18 M7 13 L12 18 L17 13',
  'send-to-back': 'M12 4 L12 16 M7 11 L12 16 L17 11 M5 20 H19',
  duplicate: 'M8 8 H19 V19 H8 Z M5 16 V5 H16',
  lock: 'M6 11 H18 V20 H6 Z M8.5 11 V8 A3.5 3.5 0 0 1 15.5 8 V11',
  delete: 'M5 7 H19 M10 7 V4 H14 V7 M7 7 L8 20 H16 L17 7',
};

export function SelectionActions() {
  const count = useUiStore((s) => s.selection.length);
  const visible = useOverlayStore((s) => s.boxes.length > 0);
  const editor = useEditorStore((s) => s.editor);
  if (!editor || count === 0 || !visible) return null;
  return (
    <div role="toolbar" aria-label="Selection" data-testid="selection-actions" className="absolute left-1/2 top-16 flex -translate-x-1/2 gap-1 rounded-xl border border-slate-200 bg-white p-1 shadow-md dark:border-slate-700 dark:bg-slate-800">
      {ACTIONS.map((a) => (
        <button
          key={a.id}
          type="button"
          data-testid={`action-${a.id}`}
          title={a.label}
          onClick={() => a.run(editor)}
          className="flex h-8 w-8 items-center justify-center rounded-lg text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-700"
        >
          <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
            <path d={ICONS[a.id]} />
          </svg>
          <span className="sr-only">{a.label}</span>
        </button>
      ))}
      <ImageActions editor={editor} />
    </div>
  );
}
