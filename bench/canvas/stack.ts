/** The canvas benchmark's app + sync server (see bench/shared/app-stack.ts). */
import { startStack as startAppStack, type Stack } from '../shared/app-stack';

export { createBoard, tokenFor } from '../shared/app-stack';

export const DIST_DIR = process.env.NEXT_DIST_DIR || '.next-canvasbench';

/** `syncEnv` adds to (or overrides) the sync server's env, e.g. lifted file-upload limits for bench:images. */
export function startStack(syncEnv: Record<string, string> = {}, name = 'canvas'): Promise<Stack> {
  // the seed is one multi-megabyte sync message: lift the per-connection byte rate limit
  return startAppStack({ distDir: DIST_DIR, name, syncEnv: { RATE_LIMIT_BYTES_PER_SEC: String(1024 ** 3), ...syncEnv } });
}
