/** The presence benchmark's app + sync server (see bench/shared/app-stack.ts). */
import { startStack as startAppStack, type Stack } from '../shared/app-stack';

export { createBoard, tokenFor, type BenchBoard } from '../shared/app-stack';

export const DIST_DIR = '.next-presence';

export function startStack(): Promise<Stack> {
  // dozens of scripted peers connect from 127.0.0.1
  return startAppStack({ distDir: DIST_DIR, name: 'presence', syncEnv: { MAX_CONNECTIONS_PER_IP: '1000' } });
}
