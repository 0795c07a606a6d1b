'use client';

/**
 * The connection indicator: connected / connecting (with the retry countdown) / offline, which
 * transport is in use, and how many local changes the server has not yet confirmed as stored
 * (components/session/local-first.ts; a count the server's answers drive, not a timer).
 */
import { useEffect, useState } from 'react';
import type { ConnectionStatus as Status } from '@/lib/testing/test-api';
import type { TransportKind } from '@/lib/sync/sync-socket';

const LOOK: Record<Status, { label: string; dot: string }> = {
  connecting: { label: 'Connecting…', dot: 'bg-amber-400' },
  connected: { label: 'Connected', dot: 'bg-emerald-500' },
  disconnected: { label: 'Offline – reconnecting', dot: 'bg-slate-400' },
  refused: { label: 'Access refused', dot: 'bg-red-500' },
};

export type ConnectionStatusProps = {
  status: Status;
  synced: boolean;
  reason?: string;
  unsaved?: number;
  transport?: TransportKind | null;
  retryAt?: number | null;
  online?: boolean;
};

/** Seconds until `at`, re-rendered every second while counting down. */
function useCountdown(at: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0); // `now` may be stale from an earlier countdown
    const timer = setInterval(tick, 500);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [at]);
  if (at === null) return null;
  return Math.max(0, Math.ceil((at - now) / 1_000));
}

function label(status: Status, synced: boolean, online: boolean, retryIn: number | null): string {
  if (status === 'refused') return LOOK.refused.label;
  if (!online && status !== 'connected') return 'Offline';
  if (status === 'connected') return synced ? LOOK.connected.label : 'Syncing…';
  if (retryIn !== null && retryIn > 0) return `Reconnecting in ${retryIn} s`;
  return status === 'connecting' ? LOOK.connecting.label : LOOK.disconnected.label;
}

export function ConnectionStatus({ status, synced, reason, unsaved = 0, transport = null, retryAt = null, online = true }: ConnectionStatusProps) {
  const retryIn = useCountdown(status === 'connected' ? null : retryAt);
  const offline = !online && status !== 'connected' && status !== 'refused';
  const shown: Status = offline ? 'disconnected' : status;
  return (
    <div className="flex items-center gap-2">
      <div
        data-testid="connection-status"
        data-status={shown}
        data-transport={transport ?? undefined}
        data-retry-in={retryIn ?? undefined}
        role="status"
        title={reason}
        className="flex items-center gap-2 rounded-full border border-slate-200 bg-white px-3 py-1 text-xs text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300"
      >
        <span className={`h-2 w-2 rounded-full ${LOOK[shown].dot}`} aria-hidden />
        <span>{label(status, synced, online, retryIn)}</span>
        {transport === 'http' && status === 'connected' ? <span className="text-slate-400">(HTTP fallback)</span> : null}
        {status === 'refused' && reason ? <span className="text-red-600">({reason})</span> : null}
      </div>
      <span
        data-testid="unsynced-count"
        data-count={unsaved}
        aria-live="polite"
        className={unsaved > 0 ? 'text-xs font-medium text-amber-700 dark:text-amber-400' : 'sr-only'}
      >
        {unsaved > 0 ? `${unsaved} ${unsaved === 1 ? 'change' : 'changes'} not yet saved to the server` : 'All changes saved'}
      </span>
    </div>
  );
}
