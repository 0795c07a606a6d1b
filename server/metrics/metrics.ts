/**
 * Prometheus metrics, one Registry per server (tests run several servers in one process).
 * Per-frame traffic is counted in plain arrays and copied into the counters only on scrape (a
 * prom-client inc() per frame per peer showed up as ~5% of server CPU); other counters are bound
 * to their labels once here, so recording allocates nothing.
 *
 * commonboard_broadcast_latency_seconds = from the frame's arrival at the socket to the moment its
 * update was written to the other peers' sockets (queueing + validation + apply + persist).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, type Counter as CounterT } from 'prom-client';
import { FILE_ERROR_STATUS, type FileErrorCode } from '../../lib/files/file-contract';

export const FRAME_TYPES = ['sync_step1', 'sync_step2', 'sync_update', 'awareness', 'auth', 'query_awareness', 'unknown'] as const;
export type FrameType = (typeof FRAME_TYPES)[number];

export const REJECT_REASONS = ['invalid_board_id', 'origin', 'board_full', 'ip_limit', 'draining', 'unauthorized'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const ERROR_KINDS = [
  'malformed',
  'too_large',
  'board_too_large',
  'rate_limited',
  'awareness_foreign',
  'awareness_too_large',
  'pending_structs',
  'storage',
  'internal',
  'socket',
  'slow_client',
  'cluster_message',
  'cluster_publish',
  'viewer_write',
  'http',
  'version',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Classifies a frame by its first bytes, without decoding it. */
export function frameType(frame: Uint8Array): FrameType {
  switch (frame[0]) {
    case 0:
      return frame[1] === 0 ? 'sync_step1' : frame[1] === 1 ? 'sync_step2' : frame[1] === 2 ? 'sync_update' : 'unknown';
    case 1:
      return 'awareness';
    case 2:
      return 'auth';
    case 3:
      return 'query_awareness';
    default:
      return 'unknown';
  }
}

/** Running totals per frame type: [messages, bytes] at index 2*i, 2*i+1 (i = FRAME_TYPES index). */
type Tally = Float64Array;
const FRAME_INDEX: Readonly<Record<FrameType, number>> = Object.fromEntries(FRAME_TYPES.map((t, i) => [t, i])) as Record<FrameType, number>;

/** A counter labelled by frame type whose values are read from `tally` (slot 0 messages, 1 bytes) on scrape. */
function tallyCounter(name: string, help: string, tally: Tally, slot: 0 | 1, registers: Registry[]): void {
  new Counter({
    name,
    help,
    labelNames: ['type'],
    registers,
    collect() {
      this.reset();
      FRAME_TYPES.forEach((t, i) => {
        const v = tally[2 * i + slot];
        if (v > 0) this.labels(t).inc(v);
      });
    },
  });
}

function bind<L extends string>(counter: Counter<L>, values: readonly string[]): Record<string, CounterT.Internal> {
  return Object.fromEntries(values.map((v) => [v, counter.labels(v)]));
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface MetricsSources {
  connections(): number;
  boardsLoaded(): number;
  /** Scale-out only: updates waiting for a hole in the seqs to be filled. */
  clusterBacklog?(): number;
  /** Scale-out only: 1 while both Redis connections are up. */
  redisConnected?(): number;
}

export const CATCH_UP_REASONS = ['gap', 'poll', 'reconnect'] as const;
export type CatchUpReason = (typeof CATCH_UP_REASONS)[number];

export class Metrics {
  readonly registry = new Registry();
  private readonly inbound: Tally = new Float64Array(FRAME_TYPES.length * 2);
  private readonly outbound: Tally = new Float64Array(FRAME_TYPES.length * 2);
  private readonly rejects: Record<string, CounterT.Internal>;
  private readonly errorCounters: Record<string, CounterT.Internal>;
  readonly applySeconds: Histogram;
  readonly persistSeconds: Histogram;
  readonly broadcastSeconds: Histogram;
  private readonly reconnectCounter: Counter;
  /** Scale-out: commit on another server (publish) -> applied here and written to our sockets. */
  readonly clusterRelaySeconds: Histogram;
  private readonly catchUps: Record<string, CounterT.Internal>;
  private readonly caughtUp: Record<string, CounterT.Internal>;
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 20 });
  private readonly fileRefusals: Record<string, CounterT.Internal>;
  private readonly fileUploadBytes: Counter;
  private readonly filesStored: Counter;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    new Gauge({ name: 'commonboard_connections', help: 'Open WebSocket connections', registers, collect() { this.set(sources.connections()); } });
    new Gauge({ name: 'commonboard_boards_loaded', help: 'Boards loaded in memory', registers, collect() { this.set(sources.boardsLoaded()); } });
    tallyCounter('commonboard_messages_in_total', 'Frames received, by message type', this.inbound, 0, registers);
    tallyCounter('commonboard_bytes_in_total', 'Bytes received, by message type', this.inbound, 1, registers);
    tallyCounter('commonboard_messages_out_total', 'Frames sent, by message type', this.outbound, 0, registers);
    tallyCounter('commonboard_bytes_out_total', 'Bytes sent, by message type', this.outbound, 1, registers);
    this.rejects = bind(
      new Counter({ name: 'commonboard_rejected_connections_total', help: 'Connections closed at admission, by reason', labelNames: ['reason'], registers }),
      REJECT_REASONS,
    );
    this.errorCounters = bind(
      new Counter({ name: 'commonboard_errors_total', help: 'Errors and refused input, by kind', labelNames: ['kind'], registers }),
      ERROR_KINDS,
    );
    this.reconnectCounter = new Counter({
      name: 'commonboard_reconnections_total',
      help: 'Connections whose awareness client id was seen on the same board before (a client coming back)',
      registers,
    });
    this.applySeconds = new Histogram({ name: 'commonboard_update_apply_seconds', help: 'Y.applyUpdate time per client update', buckets: LATENCY_BUCKETS, registers });
    this.persistSeconds = new Histogram({ name: 'commonboard_update_persist_seconds', help: 'Durable append time per batch of updates', buckets: LATENCY_BUCKETS, registers });
    this.broadcastSeconds = new Histogram({
      name: 'commonboard_broadcast_latency_seconds',
      help: 'Frame received -> resulting update written to the other sockets',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.clusterRelaySeconds = new Histogram({
      name: 'commonboard_cluster_relay_seconds',
      help: 'Scale-out: an update committed on another server -> applied here and sent to this server\'s clients (wall clocks)',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.catchUps = bind(
      new Counter({ name: 'commonboard_cluster_catchups_total', help: 'Scale-out: reads from storage to fill missed updates, by trigger', labelNames: ['reason'], registers }),
      CATCH_UP_REASONS,
    );
    this.caughtUp = bind(
      new Counter({ name: 'commonboard_cluster_caught_up_updates_total', help: 'Scale-out: updates (and snapshots) applied from storage instead of Redis', labelNames: ['reason'], registers }),
      CATCH_UP_REASONS,
    );
    this.fileRefusals = bind(
      new Counter({ name: 'commonboard_file_refusals_total', help: 'File requests refused, by error code (lib/files/file-contract.ts)', labelNames: ['code'], registers }),
      Object.keys(FILE_ERROR_STATUS),
    );
    this.fileUploadBytes = new Counter({ name: 'commonboard_file_upload_bytes_total', help: 'Bytes received in file upload bodies (refused ones too)', registers });
    this.filesStored = new Counter({ name: 'commonboard_files_stored_total', help: 'Uploads stored as a new file (not deduplicated)', registers });
    const { clusterBacklog, redisConnected } = sources;
    if (clusterBacklog) {
      new Gauge({ name: 'commonboard_cluster_backlog', help: 'Scale-out: updates received ahead of a missing seq, waiting', registers, collect() { this.set(clusterBacklog()); } });
    }
    if (redisConnected) {
      new Gauge({ name: 'commonboard_redis_connected', help: 'Scale-out: 1 while the Redis connections are up', registers, collect() { this.set(redisConnected()); } });
    }
    const loopDelay = this.loopDelay;
    loopDelay.enable();
    new Gauge({
      name: 'commonboard_event_loop_lag_seconds',
      help: 'Event-loop delay since the last scrape',
      labelNames: ['quantile'],
      registers,
      collect() {
        // the histogram reports nanoseconds; NaN before the first sample
        const q = (p: number) => (loopDelay.count > 0 ? loopDelay.percentile(p) / 1e9 : 0);
        this.labels('0.5').set(q(50));
        this.labels('0.99').set(q(99));
        this.labels('1').set(loopDelay.count > 0 ? loopDelay.max / 1e9 : 0);
        loopDelay.reset();
      },
    });
  }

  frameIn(frame: Uint8Array): void {
    const i = 2 * FRAME_INDEX[frameType(frame)];
    this.inbound[i]++;
    this.inbound[i + 1] += frame.byteLength;
  }

  frameOut(frame: Uint8Array): void {
    const i = 2 * FRAME_INDEX[frameType(frame)];
    this.outbound[i]++;
    this.outbound[i + 1] += frame.byteLength;
  }

  rejected(reason: RejectReason): void {
    this.rejects[reason].inc();
  }

  error(kind: ErrorKind): void {
    this.errorCounters[kind].inc();
  }

  fileRefused(code: FileErrorCode): void {
    this.fileRefusals[code].inc();
  }

  fileBytesIn(bytes: number): void {
    this.fileUploadBytes.inc(bytes);
  }

  fileStored(): void {
    this.filesStored.inc();
  }

  reconnected(): void {
    this.reconnectCounter.inc();
  }

  clusterCatchUp(reason: CatchUpReason, applied: number): void {
    this.catchUps[reason].inc();
    if (applied > 0) this.caughtUp[reason].inc(applied);
  }

  stop(): void {
    this.loopDelay.disable();
  }
}
