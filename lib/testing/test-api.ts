/**
 * The `window.commonboard` test API the board page installs (a stable contract for e2e specs;
 * fields may be added, never changed). Shapes are plain JSON sorted by z-index.
 */
import type { Shape } from '../board/schema';

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected' | 'refused';

export type CommonboardTestApi = {
  boardId: string;
  getShapes(): Shape[];
  whenSynced(): Promise<void>;
  getStatus(): ConnectionStatus;
  getUser(): { name: string; color: string };
  /** What this page's share link grants; null until the first token (before whenSynced resolves). */
  getRole(): 'editor' | 'viewer' | null;
  /** Share links as absolute URLs; `edit` only for editors. */
  getShareLinks(): Promise<{ edit?: string; view: string }>;
} & PresenceTestApi;

type XY = { x: number; y: number };

/** Presence hooks (components/presence/presence-test-api.ts); positions are board coordinates. */
export type PresenceTestApi = {
  /** Remote people on the board (not us), ordered by client id. */
  getPresence(): { clientId: number; name: string; color: string; state: 'active' | 'idle' | 'away'; spotlight: boolean; laser: boolean }[];
  /** Per remote user name: last received cursor and the currently drawn (interpolated) one. */
  getRemoteCursors(): Record<string, { clientId: number; received: XY | null; drawn: XY | null }>;
  getCamera(): { x: number; y: number; zoom: number };
  getFollowing(): { clientId: number; name: string; reason: 'click' | 'spotlight' } | null;
};

/** window with the test API, without a global augmentation (e2e declares its own copy of the contract). */
export type WindowWithTestApi = Window & { commonboard?: CommonboardTestApi };
