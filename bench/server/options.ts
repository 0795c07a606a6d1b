/** CLI flags of `npm run bench:server`, validated; unknown or malformed flags are errors. */
import { TARGET_NAMES, type TargetName } from './target';

export const SCENARIOS = ['load', 'capacity', 'idle', 'joinstorm', 'bigboard'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface Options {
  scenarios: Scenario[];
  targets: TargetName[];
  boards: number;
  clientsPerBoard: number;
  editsPerSec: number;
  cursorsPerSec: number;
  duration: number;
  warmup: number;
  workers: number;
  capacitySteps: number[];
  capacityDuration: number;
  idleConnections: number;
  idleBoards: number;
  idleSeconds: number;
  idleAwareness: boolean;
  joinClients: number;
  joinBytes: number;
  bigboardUpdates: number;
  /** Directory for a V8 CPU profile of the Commonboard server during `load`, or null. */
  cpuProf: string | null;
  out: string;
}

const DEFAULTS: Options = {
  scenarios: ['load'],
  targets: ['commonboard', 'reference'],
  boards: 50,
  clientsPerBoard: 10,
  editsPerSec: 2,
  cursorsPerSec: 10,
  duration: 20,
  warmup: 5,
  workers: 2,
  capacitySteps: [100, 250, 500, 750, 1000, 1500, 2000, 3000],
  capacityDuration: 5,
  idleConnections: 10_000,
  idleBoards: 1_000,
  idleSeconds: 20,
  idleAwareness: true,
  joinClients: 50,
  joinBytes: 5_000_000,
  bigboardUpdates: 100_000,
  cpuProf: null,
  out: 'reports/bench-server.json',
};

export const USAGE = `usage: npm run bench:server -- [flags]
  --scenario load|capacity|idle|joinstorm|bigboard|all (comma list ok)   default load
  --targets commonboard,reference      --workers 2 (generator threads)
  load/capacity: --boards 50 --clients-per-board 10 --edits-per-sec 2 --cursors-per-sec 10
                 --duration 20 --warmup 5 (seconds)
                 --capacity-steps 100,250,500,... --capacity-duration 5
  idle:          --idle-connections 10000 --idle-boards 1000 --idle-seconds 20 --idle-awareness true|false
  joinstorm:     --join-clients 50 --join-bytes 5000000
  bigboard:      --bigboard-updates 100000
  --cpu-prof <dir>   write a .cpuprofile of the Commonboard server during load
  --out reports/bench-server.json`;

export class OptionsError extends Error {}

function num(flag: string, raw: string, min: number, max: number, integer = true): number {
  const v = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new OptionsError(`${flag}: expected ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got "${raw}"`);
  }
  return v;
}

function list<T extends string>(flag: string, raw: string, allowed: readonly T[]): T[] {
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((s) => !(allowed as readonly string[]).includes(s));
  if (items.length === 0 || bad.length > 0) {
    throw new OptionsError(`${flag}: unknown value(s) ${bad.join(', ') || '(empty)'}; allowed: ${allowed.join(', ')}`);
  }
  return [...new Set(items as T[])];
}

export function parseOptions(argv: string[]): Options {
  const o: Options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') throw new OptionsError(USAGE);
    const raw = argv[i + 1];
    if (!flag.startsWith('--') || raw === undefined) throw new OptionsError(`bad argument "${flag}"\n${USAGE}`);
    i++;
    switch (flag) {
      case '--scenario':
        o.scenarios = raw === 'all' ? [...SCENARIOS] : list(flag, raw, SCENARIOS);
        break;
      case '--targets':
        o.targets = list(flag, raw, TARGET_NAMES);
        break;
      case '--boards': o.boards = num(flag, raw, 1, 10_000); break;
      case '--clients-per-board': o.clientsPerBoard = num(flag, raw, 2, 1_000); break;
      case '--edits-per-sec': o.editsPerSec = num(flag, raw, 0, 100, false); break;
      case '--cursors-per-sec': o.cursorsPerSec = num(flag, raw, 0, 100, false); break;
      case '--duration': o.duration = num(flag, raw, 1, 600); break;
      case '--warmup': o.warmup = num(flag, raw, 0, 120); break;
      case '--workers': o.workers = num(flag, raw, 1, 32); break;
      case '--capacity-steps':
        o.capacitySteps = raw.split(',').map((s) => num(flag, s.trim(), 2, 20_000));
        break;
      case '--capacity-duration': o.capacityDuration = num(flag, raw, 1, 120); break;
      case '--idle-connections': o.idleConnections = num(flag, raw, 1, 15_000); break;
      case '--idle-boards': o.idleBoards = num(flag, raw, 1, 15_000); break;
      case '--idle-seconds': o.idleSeconds = num(flag, raw, 1, 600); break;
      case '--idle-awareness':
        if (raw !== 'true' && raw !== 'false') throw new OptionsError(`${flag}: expected true or false`);
        o.idleAwareness = raw === 'true';
        break;
      case '--join-clients': o.joinClients = num(flag, raw, 1, 2_000); break;
      case '--join-bytes': o.joinBytes = num(flag, raw, 1_000, 100_000_000); break;
      case '--bigboard-updates': o.bigboardUpdates = num(flag, raw, 1, 2_000_000); break;
      case '--cpu-prof': o.cpuProf = raw; break;
      case '--out': o.out = raw; break;
      default:
        throw new OptionsError(`unknown flag ${flag}\n${USAGE}`);
    }
  }
  return o;
}
