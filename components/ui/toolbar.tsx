'use client';

import { TOOLS, useUiStore, type Tool } from '@/lib/ui/ui-store';

const LABELS: Record<Tool, { label: string; key: string; icon: string }> = {
  select: { label: 'Select', key: 'V', icon: 'M5 3 L5 19 L9.5 14.5 L12.5 21 L15 20 L12 13.5 L18 13.5 Z' },
  rectangle: { label: 'Rectangle', key: 'R', icon: 'M4 6 H20 V18 H4 Z' },
};

export function Toolbar() {
  const tool = useUiStore((s) => s.tool);
  const setTool = useUiStore((s) => s.setTool);
  return (
    <div role="toolbar" aria-label="Tools" className="flex gap-1 rounded-xl border border-slate-200 bg-white p-1 shadow-md">
      {TOOLS.map((t) => {
        const { label, key, icon } = LABELS[t];
        const active = t === tool;
        return (
          <button
            key={t}
            type="button"
            data-testid={`tool-${t}`}
            aria-pressed={active}
            title={`${label} (${key})`}
            onClick={() => setTool(t)}
            className={`flex h-9 w-9 items-center justify-center rounded-lg transition-colors ${
              active ? 'bg-blue-600 text-white' : 'text-slate-700 hover:bg-slate-100'
            }`}
          >
            <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round">
              <path d={icon} />
            </svg>
            <span className="sr-only">{label}</span>
          </button>
        );
      })}
    </div>
  );
}
