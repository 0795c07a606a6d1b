/** Driver side of the worker threads: spawn, send a command to all, collect typed replies. */
import { Worker } from 'node:worker_threads';
import type { WorkerCommand, WorkerEvent } from './worker-protocol';

type EventOf<K extends WorkerEvent['ev']> = Extract<WorkerEvent, { ev: K }>;

export class WorkerPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<Worker, ((e: WorkerEvent) => void)[]>();
  /** Why a worker died; later commands to it fail at once instead of hanging. */
  private readonly dead = new Map<Worker, string>();

  constructor(readonly size: number) {
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(new URL('./worker-entry.mjs', import.meta.url));
      const die = (message: string) => {
        if (!this.dead.has(w)) this.dead.set(w, message);
        for (const resolve of this.pending.get(w)?.splice(0) ?? []) resolve({ ev: 'error', message });
      };
      w.on('message', (e: WorkerEvent) => this.pending.get(w)?.shift()?.(e));
      w.on('error', (err) => die(err.stack ?? err.message));
      w.on('exit', (code) => die(`worker exited with code ${code}`));
      this.pending.set(w, []);
      return w;
    });
  }

  /** Sends one command per worker (index-aligned) and waits for every reply of kind `ev`. */
  async each<K extends WorkerEvent['ev']>(ev: K, commands: (WorkerCommand | null)[]): Promise<EventOf<K>[]> {
    const replies = await Promise.all(
      this.workers.map((w, i) => {
        const command = commands[i];
        if (!command) return null;
        const dead = this.dead.get(w);
        if (dead) return { ev: 'error', message: dead } satisfies WorkerEvent;
        return new Promise<WorkerEvent>((resolve) => {
          this.pending.get(w)?.push(resolve);
          w.postMessage(command);
        });
      }),
    );
    const out: EventOf<K>[] = [];
    for (const r of replies) {
      if (!r) continue;
      if (r.ev === 'error') throw new Error(`bench worker: ${r.message}`);
      if (r.ev !== ev) throw new Error(`bench worker replied ${r.ev}, expected ${ev}`);
      out.push(r as EventOf<K>);
    }
    return out;
  }

  all<K extends WorkerEvent['ev']>(ev: K, command: WorkerCommand): Promise<EventOf<K>[]> {
    return this.each(ev, this.workers.map(() => command));
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Deals whole boards round-robin over `n` workers. */
export function splitBoards(boards: string[], n: number): string[][] {
  const out: string[][] = Array.from({ length: n }, () => []);
  boards.forEach((b, i) => out[i % n].push(b));
  return out;
}
