'use client';

/**
 * The presence layer over the canvas: remote cursors (positioned per animation frame by
 * cursor-runtime.ts, so React renders here only when someone joins, leaves or changes state),
 * laser trails, remote selection outlines and the follow banner. It also owns the presence
 * controller for the board session.
 */
import { useCallback, useRef } from 'react';
import { cursorRuntime } from './cursor-runtime';
import { FollowBanner } from './follow-banner';
import { usePresenceStore, type Peer } from './presence-store';
import { RemoteSelections } from './remote-selections';
import { usePresenceController } from './use-presence-controller';

function RemoteCursor({ peer }: { peer: Peer }) {
  const ref = useCallback((el: HTMLDivElement | null) => cursorRuntime.attach(peer.clientId, el), [peer.clientId]);
  const dim = peer.state !== 'active';
  return (
    <div
      ref={ref}
      data-testid="remote-cursor"
      data-user={peer.name}
      data-state={peer.state}
      className="absolute left-0 top-0 transition-opacity will-change-transform"
      style={{ color: peer.color, visibility: 'hidden', opacity: dim ? 0.4 : 1 }}
    >
      {peer.laser ? (
        <span
          data-testid="laser"
          data-user={peer.name}
          className="absolute -left-1.5 -top-1.5 h-3 w-3 rounded-full"
          style={{ backgroundColor: peer.color, boxShadow: `0 0 8px 3px ${peer.color}` }}
        />
      ) : null}
      <svg width="18" height="18" viewBox="0 0 18 18" className="drop-shadow">
        <path d="M1 1 L1 15 L5 11 L8 17 L11 16 L8 10 L14 10 Z" fill="currentColor" stroke="white" strokeWidth="1.2" />
      </svg>
      <span
        className="absolute left-4 top-4 whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium text-white shadow"
        style={{ backgroundColor: peer.color }}
      >
        {peer.name}
        {peer.state === 'away' ? ' (away)' : peer.state === 'idle' ? ' (idle)' : ''}
      </span>
    </div>
  );
}

export function RemoteCursors() {
  const surface = useRef<HTMLDivElement>(null);
  usePresenceController(surface);
  const peers = usePresenceStore((s) => s.peers);
  const trailRef = useCallback((el: HTMLCanvasElement | null) => cursorRuntime.attachTrailCanvas(el), []);
  return (
    <div ref={surface} className="pointer-events-none absolute inset-0 overflow-hidden">
      <RemoteSelections />
      <canvas ref={trailRef} data-testid="laser-trails" className="absolute inset-0 h-full w-full" aria-hidden />
      <div aria-hidden>
        {peers.map((peer) => (
          <RemoteCursor key={peer.clientId} peer={peer} />
        ))}
      </div>
      <FollowBanner />
    </div>
  );
}
