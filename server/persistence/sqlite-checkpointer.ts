/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the commit that
 * takes the WAL past 1,000 pages and fsyncs the database file there: on this machine a ~20 ms stall
 * every ~500 commits (docs/performance.md), i.e. a stall of every connection the server holds.
 * So the server's connection never checkpoints (wal_autocheckpoint = 0) and a worker thread with
 * its own connection runs PASSIVE checkpoints, which never wait for or block the writer.
 */
import { Worker } from 'node:worker_threads';

/** Plain CommonJS run with `eval`, so it needs no TypeScript loader inside the worker. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');
const db = new Database(workerData.file);
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, intervalMs: number, onError: (message: string) => void): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs } });
  worker.unref();
  worker.on('message', (m: { error?: string }) => {
    if (typeof m.error === 'string') onError(m.error);
  });
  worker.on('error', (err) => onError(String(err)));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // unref'd while running; during a stop nothing else may hold the loop open, and an empty loop
      // ended the process here with the database still open and the rest of shutdown skipped
      worker.ref();
      worker.postMessage('stop');
      // bounded: a wedged worker must not hold up shutdown
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref());
      await Promise.race([exited, timeout]);
      await worker.terminate();
    },
  };
}
