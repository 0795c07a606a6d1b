/**
 * The `window.commonboard` test API the board page installs (a stable contract for e2e specs;
 * fields may be added, never changed). Shapes are plain JSON sorted by z-index.
 */
import type { Shape } from '../board/schema';
import type { VersionMeta } from '../history/versions';

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
  /** Offline-first state: unsaved = local changes the server has not confirmed as stored. */
  getSync(): {
    unsaved: number;
    transport: 'websocket' | 'http' | null;
    retryAt: number | null;
    online: boolean;
    localLoaded: boolean;
    /** The offline shell (service worker) has cached this page: a reload works with no network. */
    offlineReady: boolean;
  };
  /** Version history (components/history/history-test-api.ts). */
  history: HistoryTestApi;
  images: ImagesTestApi;
} & PresenceTestApi &
  CanvasTestApi &
  NotesTestApi &
  IoTestApi;

/** Version history, as the history panel sees it (docs/testing.md, "Version history"). */
export type HistoryTestApi = {
  /** Fetches the board's versions (newest first) and the ids of corrupt ones, as the panel does. */
  list(): Promise<{ versions: VersionMeta[]; corrupt: number[] }>;
  /** Opens the panel and shows version `id` read-only on the canvas; rejects if it cannot be loaded. */
  open(id: number): Promise<void>;
  /** Back to the live board; resolves once the live canvas (and its undo history) is back. */
  back(): Promise<void>;
  /** The version on the canvas (its shapes, and how the live board differs from it now), or null when live. */
  viewing(): {
    versionId: number;
    shapes: Shape[];
    /** Shape ids added since the version (live only), changed since, removed since (version only). */
    diff: { added: string[]; changed: string[]; removed: string[] };
  } | null;
  /** Whether the history panel is open. */
  isOpen(): boolean;
};

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

/** Canvas editor hooks (components/canvas/canvas-test-api.ts); positions are board coordinates. */
export type CanvasTestApi = {
  /** Selected shape ids that still exist, in z-order. */
  getSelection(): string[];
  /** The active tool ('select', 'rectangle', 'pen', …). */
  getTool(): string;
  /** A line's or arrow's points on the board, with bound arrow ends following their targets; null for other ids. */
  getLinePoints(id: string): XY[] | null;
  /** How long the last (up to 240) canvas renders took, in ms, oldest first: for benchmarks. */
  getRenderTimes(): number[];
  /** Whether this user's undo / redo stacks are non-empty. */
  getHistory(): { canUndo: boolean; canRedo: boolean };
};

/** Notes (components/notes/notes-test-api.ts): rich content, sanitized as it would be exported. */
export type NotesTestApi = {
  /** Plain text of a note (one line per paragraph / list item), or null if `id` is not a note. */
  getNoteText(id: string): string | null;
  /** Every note in z-order with its colour, plain text and sanitized static HTML. */
  getNotes(): { id: string; color: string; text: string; html: string }[];
  /** The note whose editor is open on this page, or null. */
  getEditingNote(): string | null;
  /** Names of the other users whose caret is in a note right now (from awareness). */
  getNoteCarets(): string[];
};

/** Export / import / theme (components/panels/io-test-api.ts). */
export type IoTestApi = {
  /** The board as a Commonboard JSON file's text: { format: 'commonboard', version, exportedAt, shapes }. */
  exportJSON(): string;
  /** Validates and imports a board file (fresh ids, one undo step); errors are per field. */
  importJSON(text: string): { ok: true; ids: string[]; migratedFrom: number | null } | { ok: false; errors: string[] };
  /** SVG of the selection, or of the board when nothing is selected. */
  exportSVG(): string;
  getTheme(): 'light' | 'dark';
  /** The style new shapes get (the style panel's last used one). */
  getCurrentStyle(): { stroke: string; fill: string; strokeWidth: number; dash: string; opacity: number; fontSize: number };
};

/** window with the test API, without a global augmentation (e2e declares its own copy of the contract). */
/** Images on the board as this page sees them (components/files/images-test-api.ts). */
export type ImageInfo = {
  id: string;
  fileId: string;
  /** This page's upload of the file: 'none' when it did not upload it (another user's image). */
  status: 'uploading' | 'failed' | 'done' | 'none';
  /** The failed upload's error code (file-contract.ts FileErrorCode), else null. */
  error: string | null;
  /** Some variant of the file is decoded and drawn (not the placeholder). */
  loaded: boolean;
};

export type ImagesTestApi = {
  list(): ImageInfo[];
  /** Resolves when every image on the board (or those with the given shape ids) is loaded; rejects after `timeoutMs` (default 15 s). */
  waitLoaded(ids?: string[], timeoutMs?: number): Promise<void>;
  /** Uploads queued or in flight on this page. */
  pendingUploads(): number;
  /** Bytes of decoded bitmaps held (width x height x 4 each; the cache's budget is 256 MB). */
  bitmapMemory(): number;
  /** The board file with the image bytes embedded (`files`), as the Export JSON button saves it. */
  exportJSON(): Promise<string>;
  /** The SVG export with images embedded as data: URLs, as the Export SVG button saves it. */
  exportSVG(): Promise<string>;
  /** Imports a board file with embedded files (re-hashed, kept locally, uploaded), as the Import button does. */
  importJSON(text: string): Promise<{ ok: true; ids: string[] } | { ok: false; errors: string[] }>;
};

export type WindowWithTestApi = Window & { commonboard?: CommonboardTestApi };
