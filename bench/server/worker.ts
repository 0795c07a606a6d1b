/**
 * Load-generator worker thread. Holds a share of the simulated clients (whole boards, so
 * delivery and convergence can be checked locally) and answers the driver's commands in order.
 */
import { parentPort } from 'node:worker_threads';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { BenchProvider, RawClient, wallNow, type Observer, type Sample } from './worker-clients';
import type {
  ConvergeResult,
  OpenCommand,
  OpenResult,
  PrepareCommand,
  RunCommand,
  RunResult,
  WorkerCommand,
  WorkerEvent,
} from './worker-protocol';

// y-websocket adds a process 'exit' listener per provider; hundreds are expected here
process.setMaxListeners(0);

const port = parentPort;
if (!port) throw new Error('bench worker must run in a worker thread');

const providers: BenchProvider[] = [];
const raws: RawClient[] = [];
const byBoard = new Map<string, BenchProvider[]>();
const lag = monitorEventLoopDelay({ resolution: 10 });

/** Window and counters of the current run; observers write into it. */
let measured = { from: Infinity, to: -Infinity };
let editLat: number[] = [];
let awLat: number[] = [];

const observer: Observer = {
  onEdit(sample: Sample, at: number) {
    if (sample.t >= measured.from && sample.t < measured.to) editLat.push(at - sample.t);
  },
  onCursor(sample: Sample, at: number) {
    if (sample.t >= measured.from && sample.t < measured.to) awLat.push(at - sample.t);
  },
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function open(c: OpenCommand): Promise<OpenResult> {
  const wait = c.startAt - wallNow();
  if (wait > 0) await sleep(wait);
  const jobs: { board: string }[] = [];
  for (const board of c.boards) for (let i = 0; i < c.clientsPerBoard; i++) jobs.push({ board });
  const syncMs: number[] = [];
  const shapeCounts: number[] = [];
  let failed = 0;
  let lastSyncedAt = 0;
  let next = 0;
  const runner = async () => {
    while (next < jobs.length) {
      const { board } = jobs[next++];
      const started = wallNow();
      let ok: boolean;
      if (c.mode === 'raw') {
        const client = new RawClient(c.url, board, c.awareness, c.tokens[board]);
        raws.push(client);
        ok = await client.whenSynced(c.syncTimeoutMs);
      } else {
        const client = new BenchProvider(c.url, board, observer, c.tokens[board]);
        providers.push(client);
        const list = byBoard.get(board) ?? [];
        list.push(client);
        byBoard.set(board, list);
        ok = await client.whenSynced(c.syncTimeoutMs);
        if (ok) shapeCounts.push(client.shapes.size);
      }
      if (ok) {
        lastSyncedAt = wallNow();
        syncMs.push(lastSyncedAt - started);
      } else failed++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, c.concurrency) }, runner));
  return { ev: 'opened', syncMs, failed, lastSyncedAt, shapeCounts };
}

async function run(c: RunCommand): Promise<RunResult> {
  measured = { from: c.measureFrom, to: c.measureTo };
  editLat = [];
  awLat = [];
  let editsSent = 0;
  let editsExpected = 0;
  let awarenessSent = 0;
  let awarenessExpected = 0;
  const timers: NodeJS.Timeout[] = [];
  const inWindow = (t: number) => t >= c.measureFrom && t < c.measureTo;
  const every = (perSec: number, fn: () => void) => {
    if (perSec <= 0) return;
    const period = 1000 / perSec;
    // random phase so clients don't fire in lockstep
    timers.push(setTimeout(() => timers.push(setInterval(fn, period)), Math.random() * period));
  };
  for (const [, clients] of byBoard) {
    const others = clients.length - 1;
    for (const client of clients) {
      every(c.editsPerSec, () => {
        const { t } = client.edit();
        if (inWindow(t)) {
          editsSent++;
          editsExpected += others;
        }
      });
      every(c.cursorsPerSec, () => {
        const { t } = client.cursor();
        if (inWindow(t)) {
          awarenessSent++;
          awarenessExpected += others;
        }
      });
    }
  }
  const disconnectsBefore = providers.reduce((n, p) => n + p.disconnects, 0);
  lag.enable();
  await sleep(Math.max(0, c.measureFrom - wallNow()));
  lag.reset();
  const eluStart = performance.eventLoopUtilization();
  await sleep(Math.max(0, c.measureTo - wallNow()));
  const elu = performance.eventLoopUtilization(eluStart).utilization;
  lag.disable();
  for (const t of timers) clearTimeout(t); // clearTimeout also clears intervals
  // drain: wait until everything expected arrived, or nothing new arrived for a second
  const drainEnd = Date.now() + c.drainMs;
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() < drainEnd && editLat.length < editsExpected) {
    const seen = editLat.length + awLat.length;
    if (seen !== last) {
      last = seen;
      stableSince = Date.now();
    } else if (Date.now() - stableSince > 1000) break;
    await sleep(50);
  }
  measured = { from: Infinity, to: -Infinity };
  const ms = (ns: number) => ns / 1e6;
  return {
    ev: 'ran',
    editLatency: Float64Array.from(editLat),
    awarenessLatency: Float64Array.from(awLat),
    editsSent,
    editsExpected,
    editsDelivered: editLat.length,
    awarenessSent,
    awarenessExpected,
    awarenessDelivered: awLat.length,
    lag: { p50: ms(lag.percentile(50)), p99: ms(lag.percentile(99)), max: ms(lag.max), elu },
    disconnects: providers.reduce((n, p) => n + p.disconnects, 0) - disconnectsBefore,
  };
}

/** Canonical view of a client's board: state vector and shapes, both with sorted keys. */
function fingerprint(p: BenchProvider): string {
  const sv = [...Y.decodeStateVector(Y.encodeStateVector(p.doc))].sort((a, b) => a[0] - b[0]);
  const shapes = Object.entries(p.shapes.toJSON()).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([sv, shapes]);
}

async function converge(): Promise<ConvergeResult> {
  const started = Date.now();
  const deadline = started + 30_000; // an overloaded server may still be relaying a backlog
  let divergent: string[] = [];
  do {
    divergent = [];
    for (const [board, clients] of byBoard) {
      const prints = new Set(clients.filter((p) => p.provider.synced).map(fingerprint));
      const unsynced = clients.some((p) => !p.provider.synced);
      if (prints.size > 1 || unsynced) divergent.push(board);
    }
    if (divergent.length === 0) break;
    await sleep(200);
  } while (Date.now() < deadline);
  return {
    ev: 'converged',
    boards: byBoard.size,
    convergedBoards: byBoard.size - divergent.length,
    divergent,
    waitedMs: Date.now() - started,
  };
}

async function prepare(c: PrepareCommand): Promise<WorkerEvent> {
  const writer = new BenchProvider(c.url, c.board, null, c.token);
  if (!(await writer.whenSynced(30_000))) throw new Error('prepare: writer did not sync');
  const shapeBytes = 2000;
  const count = Math.max(1, Math.round(c.bytes / (shapeBytes + 60)));
  const noise = () => Math.random().toString(36).slice(2);
  for (let i = 0; i < count; i += 100) {
    // ~200 KB per frame: well under any sane message cap
    writer.doc.transact(() => {
      for (let j = i; j < Math.min(count, i + 100); j++) {
        let text = '';
        while (text.length < shapeBytes) text += noise();
        writer.shapes.set(`prep-${j}`, { t: 0, c: writer.doc.clientID, s: j, text: text.slice(0, shapeBytes) });
      }
    });
    await sleep(0); // let the socket flush between frames
  }
  const checker = new BenchProvider(c.url, c.board, null, c.token);
  const deadline = Date.now() + 60_000;
  while (!(checker.provider.synced && checker.shapes.size === count)) {
    if (Date.now() > deadline) throw new Error(`prepare: server holds ${checker.shapes.size}/${count} shapes after 60 s`);
    await sleep(100);
  }
  const bytes = Y.encodeStateAsUpdate(checker.doc).byteLength;
  writer.destroy();
  checker.destroy();
  return { ev: 'prepared', shapes: count, bytes };
}

function closeAll(): WorkerEvent {
  for (const p of providers) p.destroy();
  for (const r of raws) r.destroy();
  providers.length = 0;
  raws.length = 0;
  byBoard.clear();
  return { ev: 'closed' };
}

async function handle(c: WorkerCommand): Promise<WorkerEvent> {
  switch (c.cmd) {
    case 'open':
      return open(c);
    case 'run':
      return run(c);
    case 'converge':
      return converge();
    case 'prepare':
      return prepare(c);
    case 'close':
      return closeAll();
  }
}

// One command at a time, in order: the driver awaits each reply.
let queue = Promise.resolve();
port.on('message', (c: WorkerCommand) => {
  queue = queue.then(async () => {
    let reply: WorkerEvent;
    try {
      reply = await handle(c);
    } catch (err) {
      reply = { ev: 'error', message: err instanceof Error ? err.message : String(err) };
    }
    const transfer = reply.ev === 'ran' ? [reply.editLatency.buffer, reply.awarenessLatency.buffer] : [];
    port.postMessage(reply, transfer as ArrayBuffer[]);
  });
});
