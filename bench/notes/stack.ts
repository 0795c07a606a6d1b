/** The notes benchmark's app + sync server (see bench/shared/app-stack.ts). */
import { startStack as startAppStack, type Stack } from '../shared/app-stack';

export const DIST_DIR = process.env.NOTES_BENCH_DIST_DIR || '.next-notes';

export function startStack(): Promise<Stack> {
  return startAppStack({ distDir: DIST_DIR, name: 'notes' });
}
