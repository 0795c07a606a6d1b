/**
 * A connection's frames are handled strictly in order even though presence is handled
 * synchronously: a frame may not overtake an earlier one that still waits for the disk.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../logger';
import type { Storage, StoredBoard } from '../persistence/storage';
import { encodeSyncStep1, encodeSyncUpdate, encodeAwarenessMessage } from '../protocol/messages';
import { RoomRegistry } from './room-registry';
import type { Peer } from './room-types';
import { openSession } from './session';

/** In-memory storage whose appends complete only when the test says so. */
/** Only what a room uses; cast to Storage where handed over. */
class GatedStorage {
  readonly pending: (() => void)[] = [];
  private seq = 0;
  async load(): Promise<StoredBoard> {
    return { snapshot: null, snapshotSeq: 0, updates: [], lastSeq: 0, tailBytes: 0 };
  }
  appendUpdates(_boardId: string, updates: Uint8Array[]): Promise<number> {
    return new Promise((resolve) => this.pending.push(() => resolve((this.seq += updates.length))));
  }
  async compact(): Promise<void> {}
  release(): void {
    for (const go of this.pending.splice(0)) go();
  }
}

class RecordingPeer implements Peer {
  readonly id = 'p1';
  readonly viewer = false;
  readonly name = 'p1';
  closed = false;
  readonly sent: { type: number; sub: number; reply: boolean }[] = [];
  send(frame: Uint8Array, reply = false): void {
    this.sent.push({ type: frame[0], sub: frame[1], reply });
  }
  close(): void {
    this.closed = true;
  }
}

function awarenessFrame(clientId: number, clock: number, state: unknown): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, clientId);
  encoding.writeVarUint(e, clock);
  encoding.writeVarString(e, JSON.stringify(state));
  return encodeAwarenessMessage(encoding.toUint8Array(e));
}

function newRegistry(storage: GatedStorage, presenceWindowMs: number): RoomRegistry {
  const policy = { maxBoardBytes: 1 << 20, maxAwarenessStateBytes: 4096, compactAfterUpdates: 1000, compactAfterBytes: 1 << 20 };
  return new RoomRegistry(storage as unknown as Storage, { roomIdleMs: 60_000, presenceWindowMs, ...policy }, createLogger('silent'));
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('BoardSession ordering', () => {
  it('holds awareness and step 1 behind an update that is not yet on disk', async () => {
    const storage = new GatedStorage();
    const registry = newRegistry(storage, 0);
    const peer = new RecordingPeer();
    const session = openSession(registry, 'b1', peer, createLogger('silent'));
    await session.drained();
    const room = await registry.acquire('b1');
    registry.release(room);
    peer.sent.length = 0;

    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'hello');
    session.receive(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)));
    session.receive(awarenessFrame(doc.clientID, 1, { user: 'a' }));
    session.receive(encodeSyncStep1(new Uint8Array([0])));
    await tick();
    await tick();
    // the update is applied and being written: nothing after it may have been handled yet
    expect(storage.pending.length).toBe(1);
    expect(room.presence.size).toBe(0);
    expect(peer.sent.filter((s) => s.reply)).toEqual([]);

    storage.release();
    await session.drained();
    expect(room.presence.size).toBe(1);
    const replies = peer.sent.filter((s) => s.reply);
    expect(replies).toEqual([{ type: 0, sub: 1, reply: true }]);

    // with nothing queued, presence is handled before receive() returns
    session.receive(awarenessFrame(doc.clientID, 2, null));
    expect(room.presence.size).toBe(0);
    session.closed();
  });
});

describe('Room flush cadence', () => {
  it('sends presence at most once per window, unless edits go out in the same tick', async () => {
    const storage = new GatedStorage();
    // a window longer than the test: a deferred flush never fires by itself
    const registry = newRegistry(storage, 60_000);
    const a = new RecordingPeer();
    const b = new RecordingPeer();
    const sa = openSession(registry, 'b1', a, createLogger('silent'));
    const sb = openSession(registry, 'b1', b, createLogger('silent'));
    await Promise.all([sa.drained(), sb.drained()]);
    const awarenessToB = () => b.sent.filter((s) => s.type === 1).length;
    const updatesToB = () => b.sent.filter((s) => s.type === 0 && s.sub === 2).length;

    const doc = new Y.Doc();
    sa.receive(awarenessFrame(doc.clientID, 1, { n: 1 }));
    await tick();
    expect(awarenessToB()).toBe(1); // the first change after a quiet period goes at once
    expect(a.sent.filter((s) => s.type === 1).length).toBe(1); // echoed to its sender (v3 watchdog)

    sa.receive(awarenessFrame(doc.clientID, 2, { n: 2 }));
    await tick();
    await tick();
    expect(awarenessToB()).toBe(1); // inside the window: waits

    doc.getText('t').insert(0, 'x');
    sa.receive(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)));
    await tick();
    expect(awarenessToB()).toBe(2); // rides along with the tick's edits
    expect(updatesToB()).toBe(0);
    storage.release();
    await sa.drained();
    expect(updatesToB()).toBe(1); // the edit itself only after it was written
    sa.closed();
    sb.closed();
  });
});
