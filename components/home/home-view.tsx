'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState, useSyncExternalStore } from 'react';
import { parseRecent, RECENT_KEY } from '@/lib/ui/recent-boards';

function subscribe(cb: () => void): () => void {
  window.addEventListener('storage', cb);
  return () => window.removeEventListener('storage', cb);
}

function readRecent(): string | null {
  try {
    return localStorage.getItem(RECENT_KEY);
  } catch {
    return null;
  }
}

export function HomeView() {
  const router = useRouter();
  const raw = useSyncExternalStore(subscribe, readRecent, () => null);
  const recent = useMemo(() => parseRecent(raw), [raw]);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // the server creates the board with its share links; we open the edit link
  const createBoard = async () => {
    setCreating(true);
    setError(null);
    try {
      const res = await fetch('/api/boards', { method: 'POST' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const { editUrl } = (await res.json()) as { editUrl: string };
      const url = new URL(editUrl, window.location.href);
      router.push(url.pathname + url.search + url.hash); // the key is in the fragment
    } catch (err) {
      setError(`Could not create a board (${err instanceof Error ? err.message : String(err)}).`);
      setCreating(false);
    }
  };

  return (
    <main className="mx-auto flex min-h-full max-w-2xl flex-col gap-10 px-6 py-16">
      <section className="flex flex-col gap-4">
        <h1 className="text-3xl font-semibold tracking-tight">Commonboard</h1>
        <p className="text-slate-600 dark:text-slate-300">A self-hostable whiteboard you draw on together, live.</p>
        <div>
          <button
            type="button"
            data-testid="new-board"
            disabled={creating}
            onClick={() => void createBoard()}
            className="rounded-lg bg-blue-600 px-4 py-2 font-medium text-white shadow-sm hover:bg-blue-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600"
          >
            New board
          </button>
          {error ? <p className="mt-2 text-sm text-red-700" role="alert">{error}</p> : null}
        </div>
      </section>
      <section className="flex flex-col gap-3">
        <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-500">Recent boards</h2>
        {recent.length === 0 ? (
          <p className="text-sm text-slate-500">Boards you open in this browser will be listed here.</p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-700 dark:border-slate-700 dark:bg-slate-800">
            {recent.map((b) => (
              <li key={b.id}>
                <Link
                  href={`/b/${b.id}`}
                  data-testid="recent-board"
                  className="flex items-center justify-between px-4 py-3 hover:bg-slate-50 dark:hover:bg-slate-700"
                >
                  <span className="truncate font-mono text-sm text-slate-800 dark:text-slate-200">{b.id}</span>
                  <time className="ml-4 shrink-0 text-xs text-slate-500" dateTime={new Date(b.visitedAt).toISOString()}>
                    {new Date(b.visitedAt).toLocaleString()}
                  </time>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}
