/** The canvas benchmark's app + sync server (see bench/shared/app-stack.ts). */
import { startStack as startAppStack, type Stack } from '../shared/app-stack';

export { createBoard, tokenFor } from '../shared/app-stack';

export const DIST_DIR = process.env.NEXT_DIST_DIR || '.next-canvasbench';

export function startStack(): Promise<Stack> {
  // the seed is one multi-megabyte sync message: lift the per-connection byte rate limit
  return startAppStack({ distDir: DIST_DIR, name: 'canvas', syncEnv: { RATE_LIMIT_BYTES_PER_SEC: String(1024 ** 3) } });
}
