/**
 * Budget of the property-based fuzzers: in `npm test` a fixed seed and a bounded number of runs, so
 * CI is deterministic and quick; `npm run fuzz` sets FUZZ_RUNS (and a fresh seed unless FUZZ_SEED is
 * given). A failure prints the seed and the shrunk counterexample; FUZZ_SEED=<seed> replays it.
 */
import fc from 'fast-check';

const DEFAULT_SEED = 0x5eed;

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

const seedEnv = process.env.FUZZ_SEED;
export const FUZZ_SEED: number =
  seedEnv === 'random' ? Math.floor(Math.random() * 0x7fffffff) : seedEnv ? positiveInt('FUZZ_SEED', DEFAULT_SEED) : DEFAULT_SEED;

/** `runs` in `npm test`, multiplied by FUZZ_SCALE (npm run fuzz sets it). */
export function fuzzParams(runs: number): fc.Parameters<unknown> {
  const scale = positiveInt('FUZZ_SCALE', 1);
  return { seed: FUZZ_SEED, numRuns: runs * scale, endOnFailure: true };
}
