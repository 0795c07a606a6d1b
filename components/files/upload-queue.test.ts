import { describe, expect, it } from 'vitest';
import type { FileId } from '@/lib/files/file-contract';
import { UploadQueue, uploadBackoff, type UploadState } from './upload-queue';

const ID = 'ab'.repeat(32) as FileId;

type Reply = number | 'network';

/** A queue over a scripted fetch; sleeps resolve at once (recorded), so retries run without real time. */
function rig(replies: Reply[], opts: { token?: () => string | null } = {}) {
  const calls: { url: string; init: RequestInit }[] = [];
  const states: UploadState[] = [];
  const sleeps: number[] = [];
  let settle: () => void = () => {};
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const queue = new UploadQueue({
    boardId: 'board-1',
    httpBase: () => 'http://sync.test',
    token: opts.token ?? (() => 'tok'),
    fetch: async (url, init) => {
      calls.push({ url, init });
      const r = replies.shift() ?? 500;
      if (r === 'network') throw new TypeError('Failed to fetch');
      const body = r === 403 ? { error: 'forbidden', message: 'viewer' } : r === 413 ? { error: 'too-large', message: 'big' } : { error: 'x' };
      return new Response(r === 201 ? JSON.stringify({ id: ID }) : JSON.stringify(body), { status: r });
    },
    readBytes: async () => ({ blob: new Blob([new Uint8Array([1, 2, 3])]), type: 'image/png' }),
    onState: (_id, state) => {
      states.push(state);
      if (state.state !== 'uploading') settle();
    },
    sleep: async (ms) => {
      sleeps.push(ms);
      await new Promise((resolve) => setTimeout(resolve, 0)); // a macrotask, so the test's own timers run
    },
    backoff: (n) => n * 100,
  });
  return { queue, calls, states, sleeps, settled };
}

describe('UploadQueue', () => {
  it('PUTs the bytes with the Bearer token to /files/<board>/<file>', async () => {
    const r = rig([201]);
    r.queue.enqueue(ID);
    await r.settled;
    expect(r.calls).toHaveLength(1);
    expect(r.calls[0].url).toBe(`http://sync.test/files/board-1/${ID}`);
    expect(r.calls[0].init.method).toBe('PUT');
    expect((r.calls[0].init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect(r.states).toEqual([{ state: 'uploading' }, { state: 'done' }]);
    expect(r.queue.pending()).toBe(0);
  });

  it('retries network errors, 429 and 5xx with a growing backoff, then succeeds', async () => {
    const r = rig(['network', 429, 503, 500, 200]);
    r.queue.enqueue(ID);
    await r.settled;
    expect(r.calls).toHaveLength(5);
    expect(r.sleeps).toEqual([100, 200, 300, 400]);
    expect(r.states.at(-1)).toEqual({ state: 'done' });
  });

  it('stops on 403 with the error code', async () => {
    const r = rig([403, 201]);
    r.queue.enqueue(ID);
    await r.settled;
    expect(r.calls).toHaveLength(1);
    expect(r.states.at(-1)).toEqual({ state: 'failed', code: 'forbidden' });
  });

  it('stops on 413 with the error code; a retry re-queues', async () => {
    const r = rig([413, 201]);
    r.queue.enqueue(ID);
    await r.settled;
    expect(r.states.at(-1)).toEqual({ state: 'failed', code: 'too-large' });
    const again = new Promise<void>((resolve) => setTimeout(resolve, 20));
    r.queue.enqueue(ID);
    await again;
    expect(r.calls).toHaveLength(2);
    expect(r.states.at(-1)).toEqual({ state: 'done' });
  });

  it('waits without a request while there is no token yet', async () => {
    let token: string | null = null;
    const r = rig([201], { token: () => token });
    r.queue.enqueue(ID);
    await new Promise((resolve) => setTimeout(resolve, 20));
    token = 'late';
    await r.settled;
    expect(r.sleeps.length).toBeGreaterThan(0);
    expect(new Set(r.sleeps)).toEqual(new Set([1_000])); // polled, not backed off
    expect(r.calls).toHaveLength(1);
    expect((r.calls[0].init.headers as Record<string, string>).Authorization).toBe('Bearer late');
  });

  it('keeps one job per file', async () => {
    const r = rig([201]);
    r.queue.enqueue(ID);
    r.queue.enqueue(ID);
    await r.settled;
    expect(r.calls).toHaveLength(1);
  });

  it('backs off with jitter up to 30 s', () => {
    expect(uploadBackoff(1, () => 0)).toBe(250);
    expect(uploadBackoff(1, () => 1)).toBe(500);
    expect(uploadBackoff(20, () => 1)).toBe(30_000);
  });
});
