/**
 * Uploads of image files to the sync server (PUT /files/<board>/<file>, file-contract.ts), one queue
 * per open board. The shape is already in the document (under the file's final id) and the bytes in
 * IndexedDB before a job starts, so nothing here is in a hurry: network errors, 429 and 5xx are
 * retried with a jittered, growing backoff (cut short when the browser comes back online); any other
 * 4xx is final and reported with its error code (the shape then says so, with a retry).
 * No DOM here: fetch, the token, timers and the bytes are injected (tests use a mock fetch).
 */
import { FILE_ERROR_STATUS, fileUrl, type FileErrorCode, type FileId, type ImageType } from '@/lib/files/file-contract';

export type UploadState = { state: 'uploading' } | { state: 'failed'; code: FileErrorCode } | { state: 'done' };

export type UploadDeps = {
  boardId: string;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  /** The board token (Bearer); null while none has arrived yet (offline start): the job waits. */
  token: () => string | null;
  /** The sync server's HTTP base (syncHttpBase of its WebSocket URL). */
  httpBase: () => string;
  /** The local copy of the bytes (IndexedDB); null if it is gone (then the job fails: nothing to send). */
  readBytes: (fileId: FileId) => Promise<{ blob: Blob; type: ImageType } | null>;
  onState: (fileId: FileId, state: UploadState) => void;
  /** Waits `ms` or until wake(); injected so tests need no real time. */
  sleep?: (ms: number, signal: { wake: () => void }) => Promise<void>;
  /** Delay before retry `attempt` (1, 2, …). */
  backoff?: (attempt: number) => number;
  concurrency?: number;
};

/** Full jitter, 0.5 s doubling up to 30 s: many tabs coming back online do not retry in step. */
export function uploadBackoff(attempt: number, random = Math.random): number {
  const cap = Math.min(30_000, 500 * 2 ** Math.min(attempt - 1, 10));
  return cap / 2 + random() * (cap / 2);
}

const TOKEN_POLL_MS = 1_000;

const CODES = new Set(Object.keys(FILE_ERROR_STATUS));

function statusCode(status: number): FileErrorCode {
  const hit = (Object.entries(FILE_ERROR_STATUS) as [FileErrorCode, number][]).find(([, s]) => s === status);
  return hit ? hit[0] : status >= 500 ? 'server-error' : 'bad-request';
}

/** The error code of a refusal: the body's `error` when it is one of the contract's, else from the status. */
async function errorCode(res: Response): Promise<FileErrorCode> {
  try {
    const body = (await res.json()) as { error?: unknown };
    if (typeof body.error === 'string' && CODES.has(body.error)) return body.error as FileErrorCode;
  } catch {
    // not JSON (a proxy's error page): the status decides
  }
  return statusCode(res.status);
}

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

const defaultSleep = (ms: number, signal: { wake: () => void }) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });

export class UploadQueue {
  private queued: FileId[] = [];
  private active = new Set<FileId>();
  private waiting = new Set<{ wake: () => void }>();
  private disposed = false;

  constructor(private readonly deps: UploadDeps) {}

  /** Queues an upload (ignored if this file is already queued or uploading). */
  enqueue(fileId: FileId): void {
    if (this.disposed || this.active.has(fileId) || this.queued.includes(fileId)) return;
    this.queued.push(fileId);
    this.deps.onState(fileId, { state: 'uploading' });
    this.pump();
  }

  /** Ends every backoff wait now (the browser came back online, a token arrived). */
  wake(): void {
    for (const w of [...this.waiting]) w.wake();
  }

  /** Uploads queued or in flight. */
  pending(): number {
    return this.queued.length + this.active.size;
  }

  dispose(): void {
    this.disposed = true;
    this.queued = [];
    this.wake();
  }

  private pump(): void {
    const limit = this.deps.concurrency ?? 2;
    while (!this.disposed && this.active.size < limit && this.queued.length > 0) {
      const id = this.queued.shift()!;
      this.active.add(id);
      // the job leaves `active` before its end is reported, so a retry from that report is queued
      void this.run(id)
        .catch((): UploadState => ({ state: 'failed', code: 'server-error' }))
        .then((end) => {
          this.active.delete(id);
          if (end && !this.disposed) this.deps.onState(id, end);
          this.pump();
        });
    }
  }

  private async wait(ms: number): Promise<void> {
    const signal = { wake: () => {} };
    this.waiting.add(signal);
    try {
      await (this.deps.sleep ?? defaultSleep)(ms, signal);
    } finally {
      this.waiting.delete(signal);
    }
  }

  /** Uploads until done or refused; the end state, or null when disposed. */
  private async run(fileId: FileId): Promise<UploadState | null> {
    const backoff = this.deps.backoff ?? uploadBackoff;
    let attempt = 0;
    while (!this.disposed) {
      const local = await this.deps.readBytes(fileId);
      if (!local) return { state: 'failed', code: 'not-found' };
      const token = this.deps.token();
      if (!token) {
        // no token yet (a page opened offline): look again soon, without growing the backoff, so
        // the upload starts right after the session gets its first token
        await this.wait(TOKEN_POLL_MS);
        continue;
      }
      let res: Response | null = null;
      try {
        res = await this.deps.fetch(fileUrl(this.deps.httpBase(), this.deps.boardId, fileId), {
          method: 'PUT',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': local.type },
          body: local.blob,
        });
      } catch {
        res = null; // offline, connection refused, reset: try again later
      }
      if (this.disposed) return null;
      if (res && res.ok) return { state: 'done' };
      if (res && !retryable(res.status)) return { state: 'failed', code: await errorCode(res) };
      attempt++;
      await this.wait(backoff(attempt));
    }
    return null;
  }
}
