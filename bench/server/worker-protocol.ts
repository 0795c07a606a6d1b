/** Messages between the bench driver (main thread) and its load-generating worker threads. */

export type ClientMode = 'provider' | 'raw';

export interface OpenCommand {
  cmd: 'open';
  url: string;
  boards: string[];
  /** board id -> `?token=` value (Commonboard requires one). */
  tokens: Record<string, string>;
  clientsPerBoard: number;
  mode: ClientMode;
  /** Raw clients only: publish one awareness state each. Providers always have one. */
  awareness: boolean;
  /** Connections being opened at the same time by this worker. */
  concurrency: number;
  /** Wall-clock ms; the worker waits for it so all workers start together (join storm). */
  startAt: number;
  /** Providers only: give up waiting for sync after this long. */
  syncTimeoutMs: number;
}

export interface RunCommand {
  cmd: 'run';
  editsPerSec: number;
  cursorsPerSec: number;
  /** Wall-clock ms: only edits/cursors sent in [measureFrom, measureTo) are measured. */
  measureFrom: number;
  measureTo: number;
  /** Max time to wait for stragglers after measureTo. */
  drainMs: number;
}

export interface PrepareCommand {
  cmd: 'prepare';
  url: string;
  board: string;
  token?: string;
  /** Approximate encoded size of the board to write. */
  bytes: number;
}

export type WorkerCommand = OpenCommand | RunCommand | PrepareCommand | { cmd: 'converge' } | { cmd: 'close' };

export interface OpenResult {
  ev: 'opened';
  /** Connect-to-synced per client, ms, measured from `startAt` (or from its own start when batched). */
  syncMs: number[];
  failed: number;
  /** Wall-clock ms when the last client of this worker synced (join storm: minus startAt). */
  lastSyncedAt: number;
  /** Entries in the board's `shapes` map per synced client (join storm checks it is complete). */
  shapeCounts: number[];
}

export interface LagStats {
  p50: number;
  p99: number;
  max: number;
  /** Event-loop utilisation of this worker over the measured window, 0..1. */
  elu: number;
}

export interface RunResult {
  ev: 'ran';
  editLatency: Float64Array;
  awarenessLatency: Float64Array;
  editsSent: number;
  editsExpected: number;
  editsDelivered: number;
  awarenessSent: number;
  awarenessExpected: number;
  awarenessDelivered: number;
  lag: LagStats;
  /** Clients that lost their connection during the run. */
  disconnects: number;
}

export interface ConvergeResult {
  ev: 'converged';
  boards: number;
  convergedBoards: number;
  divergent: string[];
  /** How long the check polled before every board matched (or it gave up at 30 s). */
  waitedMs: number;
}

export type WorkerEvent =
  | OpenResult
  | RunResult
  | ConvergeResult
  | { ev: 'prepared'; shapes: number; bytes: number }
  | { ev: 'closed' }
  | { ev: 'error'; message: string };
