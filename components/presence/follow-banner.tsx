'use client';

/**
 * Shown while we follow someone. A presenter's spotlight follows automatically (the point of a
 * live demo is that nobody has to click), so the banner always offers the way out; leaving a
 * presenter is remembered until they stop and start presenting again.
 */
import { usePresenceStore } from './presence-store';

export function FollowBanner() {
  const following = usePresenceStore((s) => s.following);
  const leader = usePresenceStore((s) => s.peers.find((p) => p.clientId === s.following?.clientId));
  const stopFollowing = usePresenceStore((s) => s.stopFollowing);
  if (!following || !leader) return null;
  const presenting = following.reason === 'spotlight';
  return (
    <div
      role="status"
      data-testid="follow-banner"
      data-user={leader.name}
      className="pointer-events-auto absolute bottom-4 left-1/2 flex -translate-x-1/2 items-center gap-3 rounded-full border bg-white px-4 py-1.5 text-sm shadow dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200"
      style={{ borderColor: leader.color }}
    >
      <span className="h-2.5 w-2.5 rounded-full" style={{ backgroundColor: leader.color }} aria-hidden />
      <span>
        {presenting ? `${leader.name} is presenting — you are following` : `Following ${leader.name}`}
      </span>
      <button
        type="button"
        data-testid="stop-following"
        onClick={stopFollowing}
        className="rounded-full bg-slate-100 px-3 py-0.5 text-xs font-medium text-slate-700 hover:bg-slate-200"
      >
        {presenting ? 'Leave' : 'Stop following'}
      </button>
    </div>
  );
}
