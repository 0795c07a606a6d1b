/**
 * The history panel's state: the version list as the server last sent it, what is being viewed,
 * what is running. Written only by history-actions.ts; read by the panel, the version bar, the
 * board screen (which board the canvas shows) and the test API. The viewed version's Board is a
 * handle (like the session's): its shapes are read from the canvas editor's cache, never copied here.
 */
import { create } from 'zustand';
import type { Board } from '@/lib/board';
import type { VersionMeta } from '@/lib/history/versions';
import type { DiffCounts, VersionDiff } from './version-diff';

export type Viewing = {
  meta: VersionMeta;
  /** The version's document (boardFromState), shown read-only on the canvas. */
  board: Board;
  diff: VersionDiff;
};

export type Notice = { kind: 'error' | 'info'; text: string };

/** A dialog of the panel: save a version (or rename one), or confirm a reset to the checkpoint. */
export type Dialog =
  | { kind: 'save' }
  | { kind: 'rename'; version: VersionMeta }
  | { kind: 'reset'; checkpoint: VersionMeta; board: Board; counts: DiffCounts };

export type HistoryState = {
  open: boolean;
  /** Newest first. */
  versions: VersionMeta[];
  /** Versions whose state cannot be loaded: the server's list plus any that answered 422 here. */
  corrupt: number[];
  loaded: boolean;
  listError: string | null;
  notice: Notice | null;
  /** The action in progress ('restore', 'save', …): the panel disables its controls meanwhile. */
  busy: string | null;
  /** The version whose state is being fetched to be viewed. */
  loadingVersion: number | null;
  viewing: Viewing | null;
  /** The viewed version's differences from the live board (the legend), kept current. */
  counts: DiffCounts | null;
  dialog: Dialog | null;
};

export const INITIAL_HISTORY: HistoryState = {
  open: false,
  versions: [],
  corrupt: [],
  loaded: false,
  listError: null,
  notice: null,
  busy: null,
  loadingVersion: null,
  viewing: null,
  counts: null,
  dialog: null,
};

export const useHistoryStore = create<HistoryState>(() => ({ ...INITIAL_HISTORY }));
