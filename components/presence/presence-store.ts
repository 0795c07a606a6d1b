/**
 * Presence UI state: the roster of remote peers (changes only when someone joins, leaves, renames,
 * changes activity or spotlight; never per cursor move), whom we follow, and the local presenter and
 * laser toggles. Per-frame cursor positions live in cursor-runtime.ts, outside React.
 */
import { create } from 'zustand';
import type { Activity } from '@/lib/presence/awareness';
import type { RemotePresence } from '../session/board-session';

export type Peer = { clientId: number; name: string; color: string; state: Activity; spotlight: boolean; laser: boolean };
export type RemoteSelection = { clientId: number; name: string; color: string; ids: readonly string[] };
/** A peer with a note's editor open: that note is marked on the canvas in their colour. */
export type RemoteNoteEditor = { clientId: number; name: string; color: string; note: string };
export type Following = { clientId: number; reason: 'click' | 'spotlight' };

type PresenceUiState = {
  peers: readonly Peer[];
  selections: readonly RemoteSelection[];
  noteEditors: readonly RemoteNoteEditor[];
  following: Following | null;
  /** Presenters whose spotlight we left; cleared when they stop presenting. */
  dismissed: readonly number[];
  presenting: boolean;
  laser: boolean;
  ingest: (list: readonly RemotePresence[]) => void;
  follow: (clientId: number, reason: Following['reason']) => void;
  stopFollowing: () => void;
  setPresenting: (on: boolean) => void;
  setLaser: (on: boolean) => void;
  reset: () => void;
};

function rosterKey(peers: readonly Peer[]): string {
  return peers.map((p) => `${p.clientId}|${p.name}|${p.color}|${p.state}|${p.spotlight}|${p.laser}`).join('\n');
}

function selectionKey(sel: readonly RemoteSelection[]): string {
  return sel.map((s) => `${s.clientId}|${s.color}|${s.ids.join(',')}`).join('\n');
}

function editorsKey(editors: readonly RemoteNoteEditor[]): string {
  return editors.map((e) => `${e.clientId}|${e.name}|${e.color}|${e.note}`).join('\n');
}

export const usePresenceStore = create<PresenceUiState>((set, get) => ({
  peers: [],
  selections: [],
  noteEditors: [],
  following: null,
  dismissed: [],
  presenting: false,
  laser: false,
  ingest: (list) => {
    const sorted = [...list].sort((a, b) => a.clientId - b.clientId);
    const peers: Peer[] = sorted.map((p) => ({
      clientId: p.clientId,
      name: p.user.name,
      color: p.user.color,
      state: p.act,
      spotlight: p.spot,
      laser: p.laser,
    }));
    const selections: RemoteSelection[] = sorted
      .filter((p) => p.sel.length > 0)
      .map((p) => ({ clientId: p.clientId, name: p.user.name, color: p.user.color, ids: p.sel }));
    const noteEditors: RemoteNoteEditor[] = sorted.flatMap((p) => (p.note ? [{ clientId: p.clientId, name: p.user.name, color: p.user.color, note: p.note }] : []));
    const s = get();
    const patch: Partial<PresenceUiState> = {};
    if (rosterKey(peers) !== rosterKey(s.peers)) patch.peers = peers;
    if (selectionKey(selections) !== selectionKey(s.selections)) patch.selections = selections;
    if (editorsKey(noteEditors) !== editorsKey(s.noteEditors)) patch.noteEditors = noteEditors;
    // a presenter who stopped may ask again later: forget that we dismissed them
    const dismissed = s.dismissed.filter((id) => peers.some((p) => p.clientId === id && p.spotlight));
    if (dismissed.length !== s.dismissed.length) patch.dismissed = dismissed;
    if (Object.keys(patch).length > 0) set(patch);
  },
  follow: (clientId, reason) => set({ following: { clientId, reason } }),
  stopFollowing: () => {
    const f = get().following;
    if (!f) return;
    const leader = get().peers.find((p) => p.clientId === f.clientId);
    // leaving a presenter means "don't pull me back in" until they present again
    set({ following: null, dismissed: leader?.spotlight ? [...get().dismissed, f.clientId] : get().dismissed });
  },
  setPresenting: (on) => set({ presenting: on, ...(on ? { following: null } : {}) }),
  setLaser: (on) => set({ laser: on }),
  reset: () => set({ peers: [], selections: [], noteEditors: [], following: null, dismissed: [], presenting: false, laser: false }),
}));
