'use client';

import type { ConnectionStatus as Status } from '@/lib/testing/test-api';

const LOOK: Record<Status, { label: string; dot: string }> = {
  connecting: { label: 'Connecting…', dot: 'bg-amber-400' },
  connected: { label: 'Connected', dot: 'bg-emerald-500' },
  disconnected: { label: 'Offline – reconnecting', dot: 'bg-slate-400' },
  refused: { label: 'Access refused', dot: 'bg-red-500' },
};

export function ConnectionStatus({ status, synced, reason }: { status: Status; synced: boolean; reason?: string }) {
  const { label, dot } = LOOK[status];
  const text = status === 'connected' && !synced ? 'Syncing…' : label;
  return (
    <div
      data-testid="connection-status"
      data-status={status}
      role="status"
      title={reason}
      className="flex items-center gap-2 rounded-full border border-slate-200 bg-white px-3 py-1 text-xs text-slate-600"
    >
      <span className={`h-2 w-2 rounded-full ${dot}`} aria-hidden />
      <span>{text}</span>
      {status === 'refused' && reason ? <span className="text-red-600">({reason})</span> : null}
    </div>
  );
}
