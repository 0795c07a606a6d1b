'use client';

/**
 * "Share" button and its panel: the view link for everyone, the edit link and "Rotate" for
 * editors. Rotating makes the old link stop working at once (its users are disconnected).
 */
import { useState } from 'react';
import type { Role } from '@/lib/auth/token';
import { getShareLinks, rotateShareLink } from '../session/board-session';
import type { ShareLinks } from '../session/session-auth';

function LinkRow({ label, url, testId, onRotate }: { label: string; url: string; testId: string; onRotate?: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // clipboard blocked (insecure origin): the field is selectable
    }
  };
  return (
    <div className="flex flex-col gap-1">
      <span className="text-xs font-medium text-slate-600">{label}</span>
      <div className="flex gap-1">
        <input
          readOnly
          value={url}
          data-testid={testId}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs text-slate-800"
        />
        <button type="button" onClick={() => void copy()} data-testid={`${testId}-copy`} className="rounded border border-slate-300 px-2 text-xs hover:bg-slate-100">
          {copied ? 'Copied' : 'Copy'}
        </button>
        {onRotate ? (
          <button
            type="button"
            onClick={onRotate}
            data-testid={`${testId}-rotate`}
            title="Make a new link; the old one stops working and its users are disconnected"
            className="rounded border border-slate-300 px-2 text-xs text-red-700 hover:bg-red-50"
          >
            Rotate
          </button>
        ) : null}
      </div>
    </div>
  );
}

export function ShareButton({ role }: { role: Role }) {
  const [open, setOpen] = useState(false);
  const [links, setLinks] = useState<ShareLinks | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async (run: () => Promise<ShareLinks>) => {
    setError(null);
    try {
      setLinks(await run());
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const toggle = () => {
    const next = !open;
    setOpen(next);
    if (next) void load(getShareLinks);
  };
  const rotate = (which: 'edit' | 'view') => void load(() => rotateShareLink(which));

  return (
    <div className="relative">
      <button
        type="button"
        data-testid="share-button"
        aria-expanded={open}
        onClick={toggle}
        className="rounded-lg bg-blue-600 px-3 py-1 text-xs font-medium text-white hover:bg-blue-700"
      >
        Share
      </button>
      {open ? (
        <div data-testid="share-panel" className="absolute right-0 top-9 z-20 flex w-96 flex-col gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-lg dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200">
          {error ? <p className="text-xs text-red-700">{error}</p> : null}
          {!links && !error ? <p className="text-xs text-slate-500">Loading links…</p> : null}
          {links?.edit ? <LinkRow label="Edit link (can change the board)" url={links.edit} testId="share-edit-link" onRotate={() => rotate('edit')} /> : null}
          {links ? (
            <LinkRow label="View link (read-only, live)" url={links.view} testId="share-view-link" onRotate={role === 'editor' ? () => rotate('view') : undefined} />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
