'use client';

/**
 * The bar over the canvas while a version is shown: which version, what the highlights mean (with
 * live counts), and Restore / Bring back (editors) / Back to live. Re-renders when the counts or
 * the selection's size change, never per frame.
 */
import { useUiStore } from '@/lib/ui/ui-store';
import { DIFF_COLORS } from './diff-painter';
import { backToLive, bringBack, restoreViewed } from './history-actions';
import { useHistoryStore } from './history-store';
import type { DiffKind } from './version-diff';
import { versionTime } from './version-format';

const LEGEND: { kind: DiffKind; label: string; title: string }[] = [
  { kind: 'added', label: 'added since', title: 'On the live board, not in this version (dashed: where they are now)' },
  { kind: 'changed', label: 'changed since', title: 'In this version and on the live board, but different now' },
  { kind: 'removed', label: 'removed since', title: 'In this version, gone from the live board' },
];

const BUTTON = 'rounded-lg px-2.5 py-1 text-xs font-medium disabled:opacity-50';

export function VersionBar({ canEdit }: { canEdit: boolean }) {
  const viewing = useHistoryStore((s) => s.viewing);
  const counts = useHistoryStore((s) => s.counts);
  const busy = useHistoryStore((s) => s.busy);
  const selected = useUiStore((s) => s.selection.length);
  if (!viewing) return null;
  const { meta } = viewing;
  return (
    <div
      role="region"
      aria-label="Viewing a version"
      data-testid="version-bar"
      data-version-id={meta.id}
      className="flex max-w-[min(760px,calc(100vw-23rem))] flex-col gap-1.5 rounded-xl border border-violet-200 bg-white px-3 py-2 shadow-md dark:border-violet-800 dark:bg-slate-800"
    >
      <div className="flex items-center gap-2">
        <span className="h-2 w-2 shrink-0 rounded-full bg-violet-500" aria-hidden />
        <p className="min-w-0 truncate text-sm text-slate-800 dark:text-slate-100">
          Viewing version of <span className="font-semibold">{versionTime(meta.createdAt)}</span>
          {meta.name ? <span className="text-slate-500 dark:text-slate-400"> — {meta.name}</span> : null}
          <span className="text-slate-400"> · read-only</span>
        </p>
        <div className="ml-auto flex shrink-0 items-center gap-1.5">
          {canEdit && selected > 0 ? (
            <button
              type="button"
              data-testid="version-bring-back"
              title="Copy the selected shapes of this version onto the live board (one undo step)"
              disabled={busy !== null}
              onClick={() => bringBack()}
              className={`${BUTTON} border border-violet-300 text-violet-700 hover:bg-violet-50 dark:border-violet-700 dark:text-violet-300 dark:hover:bg-slate-700`}
            >
              Bring back {selected === 1 ? 'shape' : `${selected} shapes`}
            </button>
          ) : null}
          {canEdit ? (
            <button
              type="button"
              data-testid="version-restore"
              title="Make the live board look like this version for everyone (a version of the board as it is now is saved first; Ctrl+Z undoes it)"
              disabled={busy !== null}
              onClick={() => void restoreViewed()}
              className={`${BUTTON} bg-violet-600 text-white hover:bg-violet-700`}
            >
              {busy === 'restore' ? 'Restoring…' : 'Restore'}
            </button>
          ) : null}
          <button
            type="button"
            data-testid="version-back"
            disabled={busy === 'restore'}
            onClick={() => void backToLive()}
            className={`${BUTTON} border border-slate-300 text-slate-700 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-700`}
          >
            Back to live
          </button>
        </div>
      </div>
      <ul
        data-testid="version-diff-legend"
        data-added={counts?.added ?? 0}
        data-changed={counts?.changed ?? 0}
        data-removed={counts?.removed ?? 0}
        aria-label="Compared with the live board"
        className="flex flex-wrap items-center gap-x-3 gap-y-0.5 text-[11px] text-slate-600 dark:text-slate-300"
      >
        <li className="text-slate-400">Compared with live:</li>
        {LEGEND.map(({ kind, label, title }) => (
          <li key={kind} title={title} className="flex items-center gap-1">
            <span
              aria-hidden
              className="inline-block h-2.5 w-3.5 rounded-sm border-2"
              style={{ borderColor: DIFF_COLORS[kind], borderStyle: kind === 'added' ? 'dashed' : 'solid', backgroundColor: kind === 'added' ? undefined : `${DIFF_COLORS[kind]}22` }}
            />
            <span className="tabular-nums font-medium">{counts?.[kind] ?? 0}</span> {label}
          </li>
        ))}
      </ul>
    </div>
  );
}
