/** Moved to components/session/local-storage.ts; kept for session-auth.ts until it moves (issue 15). */
export { readLocal, writeLocal } from '../session/local-storage';
