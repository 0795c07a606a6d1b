'use client';

/**
 * "Delete board" (editors): asks first, then moves the board to the trash. Everyone on it is
 * disconnected (close code 4410) and sees "This board was deleted"; we go to the home page.
 */
import { useRouter } from 'next/navigation';
import { useCallback, useState } from 'react';
import { forgetRecent, parseRecent, RECENT_KEY } from '@/lib/ui/recent-boards';
import { deleteBoard } from '../session/board-api';
import { BUTTON_DANGER, BUTTON_PLAIN, Modal } from '../ui/modal';

/** The home page would list a board nobody can open any more. */
function dropFromRecent(boardId: string): void {
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(forgetRecent(parseRecent(localStorage.getItem(RECENT_KEY)), boardId)));
  } catch {
    // storage unavailable: the recent list is a convenience
  }
}

export function DeleteBoardButton({ boardId, className }: { boardId: string; className: string }) {
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = useCallback(() => {
    setAsking(false);
    setError(null);
  }, []);

  const confirm = async () => {
    setDeleting(true);
    setError(null);
    try {
      await deleteBoard();
      dropFromRecent(boardId);
      router.push('/');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setDeleting(false);
    }
  };

  return (
    <>
      {/* an icon: the menu shares the top edge with the centred toolbar, and a word made them overlap at 1280 px */}
      <button type="button" data-testid="delete-board" title="Delete board…" onClick={() => setAsking(true)} className={`${className} text-red-700 dark:text-red-400`}>
        <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
          <path d="M5 7 H19 M10 7 V4 H14 V7 M7 7 L8 20 H16 L17 7 M10 11 V16 M14 11 V16" />
        </svg>
        <span className="sr-only">Delete board</span>
      </button>
      {asking ? (
        <Modal label="Delete board" testId="delete-board-dialog" onClose={close}>
          <div className="flex flex-col gap-3">
            <h2 className="text-base font-semibold">Delete this board?</h2>
            <p className="text-sm text-slate-700 dark:text-slate-200">
              Everyone on it is disconnected at once and its links stop working. The board goes to the trash, where an
              operator can still restore it for a while; then it is gone for good.
            </p>
            {error ? (
              <p role="alert" data-testid="delete-board-error" className="text-sm text-red-700">
                Could not delete the board: {error}
              </p>
            ) : null}
            <div className="flex justify-end gap-2">
              <button type="button" data-testid="delete-board-cancel" onClick={close} className={BUTTON_PLAIN}>
                Cancel
              </button>
              <button type="button" data-testid="delete-board-confirm" disabled={deleting} onClick={() => void confirm()} className={BUTTON_DANGER}>
                {deleting ? 'Deleting…' : 'Delete board'}
              </button>
            </div>
          </div>
        </Modal>
      ) : null}
    </>
  );
}
