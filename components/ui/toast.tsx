'use client';

/**
 * Short messages in words for things the user did that did not work (a refused file, a paste on a
 * view-only board). One polite live region (role=status), so screen readers announce them; each
 * message goes after a few seconds or when dismissed.
 */
import { create } from 'zustand';

type Toast = { id: number; text: string; kind: 'info' | 'error' };
type ToastStore = { toasts: Toast[]; dismiss: (id: number) => void };

let nextId = 1;
const SHOW_MS = 6_000;

export const useToastStore = create<ToastStore>((set) => ({
  toasts: [],
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

export function showToast(text: string, kind: Toast['kind'] = 'error'): void {
  const id = nextId++;
  useToastStore.setState((s) => ({ toasts: [...s.toasts.slice(-3), { id, text, kind }] }));
  setTimeout(() => useToastStore.getState().dismiss(id), SHOW_MS);
}

export function Toasts() {
  const toasts = useToastStore((s) => s.toasts);
  const dismiss = useToastStore((s) => s.dismiss);
  return (
    <div role="status" aria-live="polite" data-testid="toasts" className="pointer-events-none absolute bottom-14 left-1/2 z-30 flex -translate-x-1/2 flex-col items-center gap-2">
      {toasts.map((t) => (
        <div
          key={t.id}
          data-testid="toast"
          data-kind={t.kind}
          className={`pointer-events-auto flex items-center gap-3 rounded-lg border px-4 py-2 text-sm shadow ${t.kind === 'error' ? 'border-red-200 bg-red-50 text-red-800' : 'border-slate-200 bg-white text-slate-700'}`}
        >
          <span>{t.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => dismiss(t.id)} className="text-slate-500 hover:text-slate-800">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
