'use client';

/** The history panel's dialogs: save (or rename) a version, and confirm a reset to the checkpoint. */
import { useState } from 'react';
import { MAX_VERSION_NAME } from '@/lib/history/versions';
import { BUTTON_DANGER, BUTTON_PLAIN, BUTTON_PRIMARY, Modal } from '../ui/modal';
import { closeDialog, confirmReset, renameVersion, saveVersion } from './history-actions';
import { useHistoryStore, type Dialog } from './history-store';
import { plural, resetSummary, versionLabel } from './version-format';

function NameDialog({ dialog }: { dialog: Extract<Dialog, { kind: 'save' | 'rename' }> }) {
  const busy = useHistoryStore((s) => s.busy);
  const renaming = dialog.kind === 'rename' ? dialog.version : null;
  const [name, setName] = useState(renaming?.name ?? '');
  const submit = () => void (renaming ? renameVersion(renaming.id, name) : saveVersion(name));
  return (
    <Modal label={renaming ? 'Rename version' : 'Save version'} testId="save-version-dialog" onClose={closeDialog}>
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <h2 className="text-base font-semibold">{renaming ? 'Rename version' : 'Save a version of the board'}</h2>
        {renaming ? null : (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            The board as it is now is kept as a named version: automatic cleanup never removes it.
          </p>
        )}
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-xs font-medium text-slate-600 dark:text-slate-300">Name</span>
          <input
            autoFocus
            data-testid="save-version-name"
            value={name}
            maxLength={MAX_VERSION_NAME}
            placeholder="e.g. Before the workshop"
            onChange={(e) => setName(e.target.value)}
            className="rounded-lg border border-slate-300 px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900"
          />
        </label>
        <div className="flex justify-end gap-2">
          <button type="button" data-testid="save-version-cancel" onClick={closeDialog} className={BUTTON_PLAIN}>
            Cancel
          </button>
          <button type="submit" data-testid="save-version-confirm" disabled={busy !== null} className={BUTTON_PRIMARY}>
            {busy === 'save' || busy === 'rename' ? 'Saving…' : renaming ? 'Rename' : 'Save version'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function ResetDialog({ dialog }: { dialog: Extract<Dialog, { kind: 'reset' }> }) {
  const busy = useHistoryStore((s) => s.busy);
  const { added, changed, removed } = dialog.counts;
  const total = added + changed + removed; // shapes, each one change
  return (
    <Modal label="Reset to checkpoint" testId="reset-dialog" onClose={closeDialog}>
      <div className="flex flex-col gap-3">
        <h2 className="text-base font-semibold">Reset to the checkpoint?</h2>
        <p data-testid="reset-confirm-text" data-count={total} className="text-sm text-slate-700 dark:text-slate-200">
          {total === 0
            ? `The board is the same as the checkpoint ${versionLabel(dialog.checkpoint)}: nothing will change.`
            : `This undoes ${plural(total, 'change', 'changes')} made since the checkpoint ${versionLabel(dialog.checkpoint)}: ${resetSummary(dialog.counts)}.`}
        </p>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          Everyone on the board sees it at once. The board as it is now is saved as a version first, and Ctrl+Z undoes the reset.
        </p>
        <div className="flex justify-end gap-2">
          <button type="button" data-testid="reset-cancel" onClick={closeDialog} className={BUTTON_PLAIN}>
            Cancel
          </button>
          <button type="button" data-testid="reset-confirm" disabled={busy !== null} onClick={() => void confirmReset()} className={BUTTON_DANGER}>
            Reset to checkpoint
          </button>
        </div>
      </div>
    </Modal>
  );
}

export function HistoryDialogs() {
  const dialog = useHistoryStore((s) => s.dialog);
  if (!dialog) return null;
  if (dialog.kind === 'reset') return <ResetDialog dialog={dialog} />;
  // keyed: a rename of another version starts from that version's name
  return <NameDialog key={dialog.kind === 'rename' ? dialog.version.id : 'save'} dialog={dialog} />;
}
