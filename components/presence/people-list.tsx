'use client';

/**
 * Who is here: one avatar per remote person (click to follow, again to stop), the viewer count
 * (including us), and the local presenter ("spotlight") and laser toggles.
 */
import { useBoardSession } from '../session/board-session';
import { usePresenceStore, type Peer } from './presence-store';

/** More avatars than this collapse into a "+N" chip (the count stays exact). */
const MAX_AVATARS = 8;

const STATE_LABEL = { active: '', idle: ' (idle)', away: ' (away)' } as const;

function initials(name: string): string {
  const parts = name.split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '')).toUpperCase() || '?';
}

function Person({ peer, followed }: { peer: Peer; followed: boolean }) {
  const follow = usePresenceStore((s) => s.follow);
  const stopFollowing = usePresenceStore((s) => s.stopFollowing);
  return (
    <li>
      <button
        type="button"
        data-testid="person"
        data-user={peer.name}
        data-state={peer.state}
        data-following={followed ? 'true' : 'false'}
        title={`${peer.name}${STATE_LABEL[peer.state]}${peer.spotlight ? ' — presenting' : ''} · click to ${followed ? 'stop following' : 'follow'}`}
        aria-pressed={followed}
        onClick={() => (followed ? stopFollowing() : follow(peer.clientId, 'click'))}
        className={`relative flex h-7 w-7 items-center justify-center rounded-full text-[10px] font-semibold text-white ring-2 transition-opacity ${
          followed ? 'ring-slate-900' : 'ring-white'
        } ${peer.state === 'active' ? '' : 'opacity-40'}`}
        style={{ backgroundColor: peer.color }}
      >
        {initials(peer.name)}
        {peer.spotlight ? <span className="absolute -right-1 -top-1 text-[10px]" aria-label="presenting">★</span> : null}
      </button>
    </li>
  );
}

export function PeopleList() {
  const peers = usePresenceStore((s) => s.peers);
  const following = usePresenceStore((s) => s.following);
  const presenting = usePresenceStore((s) => s.presenting);
  const laser = usePresenceStore((s) => s.laser);
  const setPresenting = usePresenceStore((s) => s.setPresenting);
  const setLaser = usePresenceStore((s) => s.setLaser);
  const board = useBoardSession((s) => s.board);
  if (!board) return null;
  // the one we follow and presenters stay visible however many people there are
  const pinned = peers.filter((p) => p.spotlight || p.clientId === following?.clientId);
  const rest = peers.filter((p) => !pinned.includes(p));
  const shown = [...pinned, ...rest].slice(0, MAX_AVATARS);
  const hidden = peers.filter((p) => !shown.includes(p));
  const toggle = 'rounded-full border px-2.5 py-0.5 text-xs font-medium';
  return (
    <div className="flex items-center gap-2">
      <button
        type="button"
        data-testid="laser-button"
        aria-pressed={laser}
        onClick={() => setLaser(!laser)}
        title="Laser pointer: everyone sees a fading trail behind your cursor"
        className={`${toggle} ${laser ? 'border-red-300 bg-red-50 text-red-700' : 'border-slate-200 bg-white text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300'}`}
      >
        Laser
      </button>
      <button
        type="button"
        data-testid="spotlight-button"
        aria-pressed={presenting}
        onClick={() => setPresenting(!presenting)}
        title="Ask everyone to follow your view"
        className={`${toggle} ${presenting ? 'border-amber-300 bg-amber-50 text-amber-800' : 'border-slate-200 bg-white text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300'}`}
      >
        {presenting ? 'Stop presenting' : 'Present'}
      </button>
      <ul data-testid="people-list" aria-label="People on this board" className="flex -space-x-1">
        {shown.map((p) => (
          <Person key={p.clientId} peer={p} followed={following?.clientId === p.clientId} />
        ))}
        {hidden.length > 0 ? (
          <li
            data-testid="people-more"
            title={hidden.map((p) => p.name).join(', ')}
            className="flex h-7 min-w-7 items-center justify-center rounded-full bg-slate-200 px-1.5 text-[10px] font-semibold text-slate-700 ring-2 ring-white"
          >
            +{hidden.length}
          </li>
        ) : null}
      </ul>
      <span data-testid="viewer-count" title="People viewing this board (you included)" className="text-xs tabular-nums text-slate-500 dark:text-slate-400">
        {peers.length + 1} here
      </span>
    </div>
  );
}
