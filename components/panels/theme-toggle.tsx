'use client';

/** Light / dark switch. Sets `dark` on <html> (Tailwind's dark variant) and redraws the canvas palette. */
import { useEffect } from 'react';
import { useEditorStore } from '@/components/editor/editor-store';
import { resolveTheme, THEME_KEY, useThemeStore, type Theme } from '@/lib/ui/theme';

function apply(theme: Theme): void {
  document.documentElement.classList.toggle('dark', theme === 'dark');
  document.documentElement.style.colorScheme = theme;
  useEditorStore.getState().editor?.requestFrame();
}

export function ThemeToggle() {
  const theme = useThemeStore((s) => s.theme);

  useEffect(() => {
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(THEME_KEY);
    } catch {
      // storage unavailable: follow the system
    }
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    useThemeStore.getState().setTheme(resolveTheme(stored, query.matches));
    // with no explicit choice, follow the system as it changes
    const onChange = (e: MediaQueryListEvent) => {
      if (!stored) useThemeStore.getState().setTheme(e.matches ? 'dark' : 'light');
    };
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);

  // applied from the store, not from this render: the hydration render shows the server's 'light'
  // while the pre-paint script may already have chosen dark, and must not undo it
  useEffect(() => {
    apply(useThemeStore.getState().theme);
    return useThemeStore.subscribe((s, prev) => {
      if (s.theme !== prev.theme) apply(s.theme);
    });
  }, []);

  const toggle = () => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark';
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      // not persisted; still switches for this page
    }
    useThemeStore.getState().setTheme(next);
  };

  return (
    <button
      type="button"
      data-testid="theme-toggle"
      aria-pressed={theme === 'dark'}
      title={theme === 'dark' ? 'Light mode' : 'Dark mode'}
      onClick={toggle}
      className="flex h-8 w-8 items-center justify-center rounded-lg text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-700"
    >
      <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
        {theme === 'dark' ? (
          <path d="M12 4 V2 M12 22 V20 M4 12 H2 M22 12 H20 M6.3 6.3 L4.9 4.9 M19.1 19.1 L17.7 17.7 M6.3 17.7 L4.9 19.1 M19.1 4.9 L17.7 6.3 M8 12 A4 4 0 1 0 16 12 A4 4 0 1 0 8 12" />
        ) : (
          <path d="M20 14.5 A8 8 0 1 1 9.5 4 A6.5 6.5 0 0 0 20 14.5 Z" />
        )}
      </svg>
      <span className="sr-only">Toggle dark mode</span>
    </button>
  );
}
