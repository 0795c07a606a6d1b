'use client';

/**
 * "History": the header button and the side panel with the board's versions, newest first. A click
 * on a version shows it read-only on the canvas (version-bar.tsx); editors also save versions, mark
 * the demo checkpoint and reset to it. The list is fetched when the panel opens, after every action
 * and every 15 s while it is open.
 */
import { useEffect, useState } from 'react';
import type { VersionMeta } from '@/lib/history/versions';
import { BUTTON_PLAIN } from '../ui/modal';
import { closePanel, deleteVersion, dismissNotice, markCheckpoint, openDialog, openPanel, prepareReset, refresh, viewVersion } from './history-actions';
import { HistoryDialogs } from './history-dialogs';
import { useHistoryStore } from './history-store';
import { changesText, changesTitle, editorsText, KIND_LABELS, versionTime } from './version-format';

export const REFRESH_MS = 15_000;

export function HistoryButton() {
  const open = useHistoryStore((s) => s.open);
  return (
    <button
      type="button"
      data-testid="history-button"
      aria-expanded={open}
      title="Version history"
      onClick={() => (open ? void closePanel() : openPanel())}
      className={`rounded-lg border px-3 py-1 text-xs font-medium ${open ? 'border-violet-300 bg-violet-50 text-violet-800 dark:border-violet-700 dark:bg-violet-950 dark:text-violet-200' : 'border-slate-300 text-slate-700 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-700'}`}
    >
      History
    </button>
  );
}

const SMALL = 'rounded px-1.5 py-0.5 text-[11px] font-medium hover:bg-slate-100 disabled:opacity-50 dark:hover:bg-slate-700';

function VersionActions({ version, corrupt }: { version: VersionMeta; corrupt: boolean }) {
  const busy = useHistoryStore((s) => s.busy !== null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  return (
    <div className="flex flex-wrap items-center gap-1 px-2 pb-1.5">
      {corrupt && !version.checkpoint ? null : version.checkpoint ? (
        <button type="button" data-testid="version-clear-checkpoint" disabled={busy} onClick={() => void markCheckpoint(null)} className={`${SMALL} text-slate-600 dark:text-slate-300`}>
          Clear checkpoint
        </button>
      ) : (
        <button
          type="button"
          data-testid="version-mark-checkpoint"
          title="“Reset to checkpoint” brings the board back to this version (e.g. before each demo)"
          disabled={busy}
          onClick={() => void markCheckpoint(version.id)}
          className={`${SMALL} text-amber-700 dark:text-amber-400`}
        >
          Mark as checkpoint
        </button>
      )}
      <button type="button" data-testid="version-rename" disabled={busy} onClick={() => openDialog({ kind: 'rename', version })} className={`${SMALL} text-slate-600 dark:text-slate-300`}>
        {version.name ? 'Rename' : 'Name…'}
      </button>
      {confirmDelete ? (
        <button type="button" data-testid="version-delete-confirm" disabled={busy} onClick={() => void deleteVersion(version.id)} onBlur={() => setConfirmDelete(false)} className={`${SMALL} bg-red-50 text-red-700 dark:bg-red-950 dark:text-red-300`}>
          Delete for good?
        </button>
      ) : (
        <button type="button" data-testid="version-delete" disabled={busy} onClick={() => setConfirmDelete(true)} className={`${SMALL} text-red-700 dark:text-red-400`}>
          Delete
        </button>
      )}
    </div>
  );
}

function VersionItem({ version, corrupt, viewing, loading, canEdit }: { version: VersionMeta; corrupt: boolean; viewing: boolean; loading: boolean; canEdit: boolean }) {
  const restoring = useHistoryStore((s) => s.busy === 'restore' || s.busy === 'reset');
  const kindStyle = version.kind === 'named' ? 'bg-blue-100 text-blue-800 dark:bg-blue-950 dark:text-blue-200' : version.kind === 'pre-restore' ? 'bg-slate-200 text-slate-700 dark:bg-slate-700 dark:text-slate-200' : 'bg-slate-100 text-slate-500 dark:bg-slate-800 dark:text-slate-400';
  return (
    <li
      data-testid="version-item"
      data-version-id={version.id}
      data-kind={version.kind}
      data-checkpoint={version.checkpoint}
      data-corrupt={corrupt}
      aria-current={viewing ? 'true' : undefined}
      className={`rounded-lg border ${viewing ? 'border-violet-400 bg-violet-50 dark:border-violet-600 dark:bg-violet-950/40' : 'border-transparent hover:border-slate-200 hover:bg-slate-50 dark:hover:border-slate-700 dark:hover:bg-slate-800/60'}`}
    >
      <button
        type="button"
        data-testid="version-open"
        disabled={corrupt || restoring}
        onClick={() => void viewVersion(version.id)}
        title={corrupt ? 'This version could not be loaded' : 'Show this version on the canvas (read-only)'}
        className="flex w-full flex-col gap-0.5 px-2 py-1.5 text-left disabled:cursor-not-allowed"
      >
        <span className="flex items-center gap-1.5">
          <span className="text-sm font-semibold tabular-nums text-slate-900 dark:text-slate-100">{versionTime(version.createdAt)}</span>
          <span className={`rounded px-1.5 text-[10px] font-medium uppercase tracking-wide ${kindStyle}`}>{KIND_LABELS[version.kind]}</span>
          {version.checkpoint ? (
            <span data-testid="version-checkpoint-badge" className="rounded bg-amber-100 px-1.5 text-[10px] font-semibold uppercase tracking-wide text-amber-800 dark:bg-amber-900 dark:text-amber-200">
              ⚑ Checkpoint
            </span>
          ) : null}
          {loading ? <span className="ml-auto text-[11px] text-slate-400">Loading…</span> : null}
          {viewing ? <span className="ml-auto text-[11px] font-medium text-violet-700 dark:text-violet-300">Viewing</span> : null}
        </span>
        {version.name ? <span className="truncate text-sm text-slate-800 dark:text-slate-200">{version.name}</span> : null}
        {corrupt ? (
          <span data-testid="version-corrupt" className="text-xs font-medium text-red-700 dark:text-red-400">
            This version could not be loaded.
          </span>
        ) : (
          <span className="flex items-center gap-2 text-xs text-slate-500 dark:text-slate-400">
            <span className="truncate">{editorsText(version.editors)}</span>
            <span className="ml-auto shrink-0 font-mono tabular-nums" title={changesTitle(version)} data-testid="version-changes">
              {changesText(version)}
            </span>
          </span>
        )}
      </button>
      {canEdit ? <VersionActions version={version} corrupt={corrupt} /> : null}
    </li>
  );
}

/** A corrupt id the list has no metadata for. */
function MissingItem({ id }: { id: number }) {
  return (
    <li data-testid="version-item" data-version-id={id} data-corrupt="true" className="px-2 py-1.5 text-xs text-red-700 dark:text-red-400">
      Version #{id} could not be loaded.
    </li>
  );
}

export function HistoryPanel({ canEdit }: { canEdit: boolean }) {
  const open = useHistoryStore((s) => s.open);
  const versions = useHistoryStore((s) => s.versions);
  const corrupt = useHistoryStore((s) => s.corrupt);
  const loaded = useHistoryStore((s) => s.loaded);
  const listError = useHistoryStore((s) => s.listError);
  const notice = useHistoryStore((s) => s.notice);
  const busy = useHistoryStore((s) => s.busy);
  const viewingId = useHistoryStore((s) => s.viewing?.meta.id ?? null);
  const loadingId = useHistoryStore((s) => s.loadingVersion);

  useEffect(() => {
    if (!open) return;
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [open]);

  if (!open) return null;
  const checkpoint = versions.find((v) => v.checkpoint);
  const missing = corrupt.filter((id) => !versions.some((v) => v.id === id));
  return (
    <aside
      data-testid="history-panel"
      aria-label="Version history"
      className="absolute bottom-0 right-0 top-0 z-20 flex w-80 flex-col border-l border-slate-200 bg-white shadow-xl dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <div className="flex items-center gap-2 border-b border-slate-200 px-3 py-2 dark:border-slate-700">
        <h2 className="text-sm font-semibold">Version history</h2>
        <button type="button" data-testid="history-close" onClick={() => void closePanel()} className="ml-auto rounded px-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800">
          ✕<span className="sr-only">Close history</span>
        </button>
      </div>
      {canEdit ? (
        <div className="flex flex-wrap gap-2 border-b border-slate-200 px-3 py-2 dark:border-slate-700">
          <button type="button" data-testid="save-version" disabled={busy !== null} onClick={() => openDialog({ kind: 'save' })} className={`${BUTTON_PLAIN} py-1 text-xs`}>
            Save version…
          </button>
          {checkpoint ? (
            <button
              type="button"
              data-testid="reset-checkpoint"
              title="Bring the board back to the checkpoint (asks first; Ctrl+Z undoes it)"
              disabled={busy !== null}
              onClick={() => void prepareReset()}
              className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-1 text-xs font-medium text-amber-800 hover:bg-amber-100 disabled:opacity-50 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200"
            >
              {busy === 'reset' ? 'Resetting…' : 'Reset to checkpoint'}
            </button>
          ) : null}
        </div>
      ) : null}
      {notice ? (
        <div
          role={notice.kind === 'error' ? 'alert' : 'status'}
          data-testid="history-notice"
          data-kind={notice.kind}
          className={`mx-3 mt-2 flex items-start gap-2 rounded-lg border px-2 py-1.5 text-xs ${notice.kind === 'error' ? 'border-red-200 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200' : 'border-emerald-200 bg-emerald-50 text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200'}`}
        >
          <span className="min-w-0 flex-1">{notice.text}</span>
          <button type="button" onClick={dismissNotice} className="opacity-60 hover:opacity-100">
            ✕<span className="sr-only">Dismiss</span>
          </button>
        </div>
      ) : null}
      {listError ? (
        <p role="alert" data-testid="history-error" className="mx-3 mt-2 text-xs text-red-700 dark:text-red-400">
          {listError}
        </p>
      ) : null}
      <ol data-testid="version-list" aria-busy={!loaded} className="flex min-h-0 flex-1 flex-col gap-1 overflow-y-auto p-2">
        {!loaded ? <li className="px-2 py-1 text-xs text-slate-500">Loading versions…</li> : null}
        {loaded && versions.length === 0 && missing.length === 0 && !listError ? (
          <li data-testid="history-empty" className="px-2 py-1 text-xs text-slate-500 dark:text-slate-400">
            No versions yet. They are taken automatically while people edit{canEdit ? ', or save one now' : ''}.
          </li>
        ) : null}
        {versions.map((v) => (
          <VersionItem key={v.id} version={v} corrupt={corrupt.includes(v.id)} viewing={v.id === viewingId} loading={v.id === loadingId} canEdit={canEdit} />
        ))}
        {missing.map((id) => (
          <MissingItem key={id} id={id} />
        ))}
      </ol>
      <HistoryDialogs />
    </aside>
  );
}
