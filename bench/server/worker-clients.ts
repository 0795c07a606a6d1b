/**
 * The two kinds of simulated users a worker can hold:
 * - BenchProvider: a real y-websocket WebsocketProvider with its own Y.Doc (load, capacity, join storm);
 * - RawClient: a bare `ws` socket that does the sync handshake and nothing else (idle scenario),
 *   because 10,000 providers (each a Y.Doc, an Awareness and two intervals) would make the generator
 *   the bottleneck on a small machine.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import * as encoding from 'lib0/encoding';

/** Wall clock with sub-ms precision, comparable across worker threads of one process. */
export const wallNow = (): number => performance.timeOrigin + performance.now();

export interface Sample {
  t: number;
  /** Sender's Y clientID, so receivers can skip their own changes. */
  c: number;
  s: number;
}

export function isSample(v: unknown): v is Sample {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.t === 'number' && typeof o.c === 'number' && typeof o.s === 'number';
}

export interface Observer {
  onEdit(sample: Sample, receivedAt: number): void;
  onCursor(sample: Sample, receivedAt: number): void;
}

export class BenchProvider {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly shapes: Y.Map<unknown>;
  disconnects = 0;
  private seq = 0;
  private cursorSeq = 0;

  constructor(url: string, readonly board: string, observer: Observer | null, token?: string) {
    this.shapes = this.doc.getMap('shapes');
    this.provider = new WebsocketProvider(url, board, this.doc, {
      // y-websocket's option type wants the DOM WebSocket constructor; ws is API-compatible here.
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      params: token ? { token } : {},
    });
    this.provider.on('connection-close', () => this.disconnects++);
    if (!observer) return;
    const me = this.doc.clientID;
    this.shapes.observe((event) => {
      if (event.transaction.local) return;
      const now = wallNow();
      for (const key of event.keysChanged) {
        const v = this.shapes.get(key);
        if (isSample(v) && v.c !== me) observer.onEdit(v, now);
      }
    });
    this.provider.awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
      const now = wallNow();
      for (const id of [...added, ...updated]) {
        if (id === me) continue;
        const cursor: unknown = this.provider.awareness.getStates().get(id)?.cursor;
        if (isSample(cursor)) observer.onCursor(cursor, now);
      }
    });
  }

  whenSynced(timeoutMs: number): Promise<boolean> {
    if (this.provider.synced) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.provider.off('sync', onSync);
        resolve(false);
      }, timeoutMs);
      const onSync = (synced: boolean) => {
        if (!synced) return;
        clearTimeout(timer);
        this.provider.off('sync', onSync);
        resolve(true);
      };
      this.provider.on('sync', onSync);
    });
  }

  /** One "shape move": overwrites this client's shape entry, as dragging does on a whiteboard. */
  edit(): Sample {
    const sample: Sample = { t: wallNow(), c: this.doc.clientID, s: ++this.seq };
    this.shapes.set(`shape-${this.doc.clientID}`, { ...sample, x: Math.random() * 1000, y: Math.random() * 1000 });
    return sample;
  }

  cursor(): Sample {
    const sample: Sample = { t: wallNow(), c: this.doc.clientID, s: ++this.cursorSeq };
    this.provider.awareness.setLocalStateField('cursor', { ...sample, x: Math.random() * 1000, y: Math.random() * 1000 });
    return sample;
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}

const SYNC = 0;
const AWARENESS = 1;
const STEP1 = 0;
const STEP2 = 1;

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

/** SyncStep1 with an empty state vector, and SyncStep2 carrying an empty update (`[0, 0]`). */
const EMPTY_STEP1 = frame((e) => {
  encoding.writeVarUint(e, SYNC);
  encoding.writeVarUint(e, STEP1);
  encoding.writeVarUint8Array(e, new Uint8Array([0]));
});
const EMPTY_STEP2 = frame((e) => {
  encoding.writeVarUint(e, SYNC);
  encoding.writeVarUint(e, STEP2);
  encoding.writeVarUint8Array(e, new Uint8Array([0, 0]));
});

export class RawClient {
  readonly ws: WebSocket;
  synced = false;
  closed = false;
  private readonly settled: Promise<boolean>;

  constructor(url: string, board: string, awareness: boolean, token?: string) {
    this.ws = new WebSocket(`${url}/${board}${token ? `?token=${encodeURIComponent(token)}` : ''}`);
    this.ws.binaryType = 'nodebuffer';
    let settle: (ok: boolean) => void = () => {};
    this.settled = new Promise((resolve) => (settle = resolve));
    this.ws.on('open', () => {
      this.ws.send(EMPTY_STEP1);
      if (awareness) this.ws.send(awarenessFrame(board));
    });
    this.ws.on('message', (data: Buffer) => {
      if (data.length < 2 || data[0] !== SYNC) return;
      if (data[1] === STEP1) this.ws.send(EMPTY_STEP2); // we never have edits to upload
      else if (data[1] === STEP2) {
        this.synced = true;
        settle(true);
      }
    });
    const fail = () => {
      this.closed = true;
      settle(false);
    };
    this.ws.on('close', fail);
    this.ws.on('error', fail);
  }

  whenSynced(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    return Promise.race([this.settled, timeout]).finally(() => clearTimeout(timer));
  }

  destroy(): void {
    this.ws.terminate();
  }
}

function awarenessFrame(board: string): Uint8Array {
  const clientId = Math.floor(Math.random() * 0xffffffff);
  const update = frame((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, clientId);
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, JSON.stringify({ user: { name: `idle-${clientId}`, board } }));
  });
  return frame((e) => {
    encoding.writeVarUint(e, AWARENESS);
    encoding.writeVarUint8Array(e, update);
  });
}
