/**
 * Room.applyServerChange on a real server with real y-websocket clients: one transaction becomes
 * one appended update, written before any peer receives it, and EVERY peer receives it; a change
 * that throws or would outgrow the board leaves the board, the log and the peers untouched.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../lib/protocol/close-codes';
import { createLogger } from '../logger';
import { DB_FILE } from '../persistence/data-dir';
import { SqliteStorage } from '../persistence/sqlite';
import { startServer, type RunningServer } from '../start-server';
import { connectClient, makeTempDir, TEST_AUTH_SECRET, testConfig, waitFor, type TestClient } from '../testing/helpers';
import { MalformedMessageError } from './room';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** SQLite that records when each append committed and what it held. */
class RecordingStorage extends SqliteStorage {
  readonly commits: { at: number; boards: { boardId: string; updates: number }[] }[] = [];
  override async appendBatch(batches: readonly { boardId: string; updates: Uint8Array[] }[]): Promise<number[]> {
    const seqs = await super.appendBatch(batches);
    this.commits.push({ at: performance.now(), boards: batches.map((b) => ({ boardId: b.boardId, updates: b.updates.length })) });
    return seqs;
  }
}

async function setup(maxBoardBytes?: number): Promise<{ server: RunningServer; storage: RecordingStorage; clients: TestClient[] }> {
  const tmp = makeTempDir();
  cleanups.push(tmp.remove);
  const storage = new RecordingStorage(join(tmp.dir, DB_FILE));
  const config = testConfig(tmp.dir, { drainMs: 0, ...(maxBoardBytes && { maxBoardBytes }) });
  const server = await startServer(config, { logger: createLogger('silent'), storage, authSecret: new TextEncoder().encode(TEST_AUTH_SECRET) });
  cleanups.push(() => server.close());
  const clients = [connectClient(server.url, 'change'), connectClient(server.url, 'change')];
  for (const c of clients) cleanups.push(() => c.destroy());
  await waitFor(() => clients.every((c) => c.provider.synced), { what: 'synced' });
  clients[0].doc.getMap('shapes').set('existing', 1);
  await waitFor(() => clients[1].doc.getMap('shapes').has('existing'), { what: 'first edit relayed' });
  return { server, storage, clients };
}

const stored = async (storage: SqliteStorage, boardId: string): Promise<Record<string, unknown>> => {
  const { snapshot, updates } = await storage.load(boardId);
  const doc = new Y.Doc();
  if (snapshot) Y.applyUpdate(doc, snapshot);
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getMap('shapes').toJSON();
};

describe('Room.applyServerChange', () => {
  it('one transaction -> one appended update, durable before any peer has it, then at every peer', async () => {
    const { server, storage, clients } = await setup();
    const receivedAt: number[] = [];
    for (const c of clients) c.doc.on('update', (_u: Uint8Array, origin: unknown) => origin === c.provider && receivedAt.push(performance.now()));
    const room = await server.registry.acquire('change');
    cleanups.push(() => server.registry.release(room));
    const commitsBefore = storage.commits.length;

    await room.applyServerChange((board) => {
      board.shapes.delete('existing');
      for (let i = 0; i < 5; i++) board.shapes.set(`s${i}`, new Y.Map<unknown>([['x', i]]));
    });
    // resolved = durable
    expect(Object.keys(await stored(storage, 'change')).sort()).toEqual(['s0', 's1', 's2', 's3', 's4']);
    const commits = storage.commits.slice(commitsBefore);
    expect(commits).toHaveLength(1);
    expect(commits[0].boards).toEqual([{ boardId: 'change', updates: 1 }]);

    await waitFor(() => clients.every((c) => c.doc.getMap('shapes').size === 5 && !c.doc.getMap('shapes').has('existing')), {
      what: 'every peer has the change',
    });
    expect(receivedAt).toHaveLength(2);
    for (const t of receivedAt) expect(t).toBeGreaterThanOrEqual(commits[0].at);
  });

  it('a change that throws halfway changes nothing anywhere', async () => {
    const { server, storage, clients } = await setup();
    const room = await server.registry.acquire('change');
    cleanups.push(() => server.registry.release(room));
    const commitsBefore = storage.commits.length;
    await expect(
      room.applyServerChange((board) => {
        board.shapes.set('half', new Y.Map<unknown>());
        throw new Error('bug in the change');
      }),
    ).rejects.toThrow('bug in the change');
    expect(room.doc.getMap('shapes').has('half')).toBe(false);
    // a later edit goes through; the failed change never shows up
    clients[0].doc.getMap('shapes').set('after', 1);
    await waitFor(() => clients[1].doc.getMap('shapes').has('after'), { what: 'later edit relayed' });
    expect(clients[1].doc.getMap('shapes').has('half')).toBe(false);
    expect(Object.keys(await stored(storage, 'change')).sort()).toEqual(['after', 'existing']);
    expect(storage.commits.slice(commitsBefore).flatMap((c) => c.boards)).toEqual([{ boardId: 'change', updates: 1 }]);
  });

  it('a change past the board size limit is refused (4413) before anything is applied; peers stay connected', async () => {
    const { server, storage, clients } = await setup(64 * 1024);
    const room = await server.registry.acquire('change');
    cleanups.push(() => server.registry.release(room));
    const refused = room.applyServerChange((board) => board.shapes.set('huge', new Y.Map<unknown>([['text', 'x'.repeat(200_000)]])));
    await expect(refused).rejects.toBeInstanceOf(MalformedMessageError);
    await expect(refused).rejects.toMatchObject({ closeCode: CloseCode.TooLarge });
    expect(room.doc.getMap('shapes').has('huge')).toBe(false);
    expect(Object.keys(await stored(storage, 'change'))).toEqual(['existing']);
    clients[1].doc.getMap('shapes').set('still-works', 1);
    await waitFor(() => clients[0].doc.getMap('shapes').has('still-works'), { what: 'peers still connected' });
  });

  it('a change that writes nothing appends nothing', async () => {
    const { server, storage } = await setup();
    const room = await server.registry.acquire('change');
    cleanups.push(() => server.registry.release(room));
    const commitsBefore = storage.commits.length;
    await room.applyServerChange(() => {});
    await room.applyServerChange((board) => void board.shapes.get('existing'));
    expect(storage.commits.length - commitsBefore).toBe(0);
  });
});
