'use client';

/**
 * A modal dialog over the page: focused when it opens (so its first key goes to it, not to the
 * canvas), Escape or a press on the backdrop closes it. Escape is taken in the capture phase so the
 * canvas does not also clear its selection.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function Modal({
  label,
  testId,
  onClose,
  children,
  className = 'w-[min(440px,92%)]',
}: {
  label: string;
  testId: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    // an autofocus field inside keeps its focus
    if (el && !el.contains(document.activeElement)) el.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      onClose();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  return (
    <div className="fixed inset-0 z-30 flex items-center justify-center bg-slate-900/30" onPointerDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-label={label}
        tabIndex={-1}
        data-testid={testId}
        className={`max-h-[80%] overflow-auto rounded-xl border border-slate-200 bg-white p-5 shadow-xl outline-none dark:border-slate-700 dark:bg-slate-800 dark:text-slate-100 ${className}`}
      >
        {children}
      </div>
    </div>
  );
}

export const BUTTON_PRIMARY = 'rounded-lg bg-blue-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-700 disabled:opacity-50';
export const BUTTON_DANGER = 'rounded-lg bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-50';
export const BUTTON_PLAIN = 'rounded-lg border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 disabled:opacity-50 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-700';
