'use client';

/** The keyboard shortcuts help, opened with `?` or the help button; Escape or a click outside closes it. */
import { Modal } from '../ui/modal';

export const SHORTCUTS: { group: string; items: [string, string][] }[] = [
  {
    group: 'Tools',
    items: [
      ['V', 'Select'], ['H', 'Hand'], ['R', 'Rectangle'], ['O', 'Ellipse'], ['D', 'Diamond'], ['L', 'Line'],
      ['A', 'Arrow'], ['P', 'Pen'], ['T', 'Text'], ['N', 'Sticky note'], ['E', 'Eraser'], ['Space + drag', 'Pan'],
    ],
  },
  {
    group: 'Edit',
    items: [
      ['Ctrl/⌘ C', 'Copy'], ['Ctrl/⌘ X', 'Cut'], ['Ctrl/⌘ V', 'Paste'], ['Ctrl/⌘ D', 'Duplicate'], ['Delete', 'Delete'],
      ['Ctrl/⌘ Z', 'Undo'], ['Ctrl/⌘ Shift Z', 'Redo'], ['Ctrl/⌘ A', 'Select all'], ['Arrows', 'Nudge (Shift: 10)'],
      [']  [', 'Forward / backward'], ['Shift ]  [', 'Front / back'], ['Shift L', 'Lock / unlock'], ['Escape', 'Deselect'],
    ],
  },
  {
    group: 'View',
    items: [
      ['Ctrl/⌘ +  −', 'Zoom in / out'], ['Shift 0', 'Zoom to 100%'], ['Shift 1', 'Zoom to fit'], ['Shift 2', 'Zoom to selection'],
      ["Ctrl/⌘ '", 'Grid'], ['?', 'This help'],
    ],
  },
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  if (!open) return null;
  return (
    <Modal label="Keyboard shortcuts" testId="shortcuts-dialog" onClose={onClose} className="w-[min(720px,92%)]">
      <div className="mb-3 flex items-center justify-between">
        <h2 className="text-base font-semibold">Keyboard shortcuts</h2>
        <button type="button" data-testid="shortcuts-close" onClick={onClose} className="rounded px-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-700">
          ✕<span className="sr-only">Close</span>
        </button>
      </div>
      <div className="grid gap-5 sm:grid-cols-3">
        {SHORTCUTS.map((g) => (
          <section key={g.group}>
            <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{g.group}</h3>
            <dl className="space-y-1 text-sm">
              {g.items.map(([keys, label]) => (
                <div key={label} className="flex justify-between gap-3">
                  <dt className="text-slate-700 dark:text-slate-200">{label}</dt>
                  <dd>
                    <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono text-xs dark:border-slate-600 dark:bg-slate-900">{keys}</kbd>
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Modal>
  );
}
