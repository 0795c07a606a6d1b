'use client';

/**
 * Remote users' cursors as absolutely positioned DOM elements in their colour, with a name label.
 * Positions jump to each awareness update (~20 Hz); smoothing comes later in lib/presence.
 */
import { useEffect, useState } from 'react';
import { boardToScreen } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import { listRemotePresence, observePresence, useBoardSession, type RemotePresence } from '../board/board-session';

export function RemoteCursors() {
  const board = useBoardSession((s) => s.board);
  const camera = useUiStore((s) => s.camera);
  const [peers, setPeers] = useState<RemotePresence[]>([]);

  useEffect(() => {
    if (!board) return;
    // the subscription callback (not the effect body) sets state, as the hooks rules want
    return observePresence(() => setPeers(listRemotePresence()));
  }, [board]);

  return (
    <div className="pointer-events-none absolute inset-0 overflow-hidden" aria-hidden>
      {peers.map((peer) => {
        if (!peer.cursor) return null;
        const p = boardToScreen(camera, peer.cursor);
        return (
          <div
            key={peer.clientId}
            data-testid="remote-cursor"
            data-user={peer.user.name}
            className="absolute left-0 top-0"
            style={{ transform: `translate(${p.x}px, ${p.y}px)`, color: peer.user.color }}
          >
            <svg width="18" height="18" viewBox="0 0 18 18" className="drop-shadow">
              <path d="M1 1 L1 15 L5 11 L8 17 L11 16 L8 10 L14 10 Z" fill="currentColor" stroke="white" strokeWidth="1.2" />
            </svg>
            <span
              className="absolute left-4 top-4 whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium text-white shadow"
              style={{ backgroundColor: peer.user.color }}
            >
              {peer.user.name}
            </span>
          </div>
        );
      })}
    </div>
  );
}
