/**
 * `npm run token -- <boardId> <editor|viewer> [name]`: prints one board token (one line) for
 * scripts and tests. Signs with AUTH_SECRET, else DATA_DIR/auth-secret (created if absent),
 * exactly as the sync server does. The token is an operator token: not bound to a share link
 * (rotating links does not revoke it); it expires after BOARD_TOKEN_TTL_SECONDS.
 */
import { isBoardId } from '../lib/board-id';
import { AuthSecretError, loadAuthSecret } from '../lib/auth/secret';
import { BOARD_TOKEN_TTL_SECONDS, isRole, mintBoardToken } from '../lib/auth/token';

const USAGE = 'usage: npm run token -- <boardId> <editor|viewer> [name]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const [boardId, role, name = 'cli', ...extra] = process.argv.slice(2);
if (!boardId || !role || extra.length > 0) fail('expected a board id, a role and an optional name');
if (!isBoardId(boardId)) fail(`invalid board id "${boardId}" (1-64 characters of A-Z a-z 0-9 _ -)`);
if (!isRole(role)) fail(`invalid role "${role}" (editor or viewer)`);
if (name.trim() === '' || name.length > 64) fail('name must be 1-64 characters');

try {
  const secret = loadAuthSecret(process.env, process.env.DATA_DIR?.trim() || './data');
  const { token } = await mintBoardToken(secret, { board: boardId, role, name }, BOARD_TOKEN_TTL_SECONDS);
  process.stdout.write(`${token}\n`);
} catch (err) {
  if (err instanceof AuthSecretError) fail(err.message);
  throw err;
}
