/** Moved to components/session/board-session.ts; kept for share-panel.tsx until it moves (issue 15). */
export { getShareLinks, rotateShareLink } from '../session/board-session';
