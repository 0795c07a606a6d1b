/**
 * One loaded board: its Y.Doc, awareness and connected peers.
 *
 * THE PROMISE: an update the server has sent to any client is already on disk. Hence the order
 * validate -> apply -> append (await) -> broadcast, and sync step 2 is only computed once no
 * append is in flight, so a joiner never receives state that is not yet persisted.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Logger } from '../logger';
import type { Storage, StoredBoard } from '../persistence/storage';
import {
  decodeMessage,
  encodeAwarenessMessage,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
} from '../protocol/messages';

/** A connection as the room sees it; the transport implements it. */
export interface Peer {
  readonly id: string;
  readonly closed: boolean;
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface CompactionPolicy {
  compactAfterUpdates: number;
  compactAfterBytes: number;
}

export class MalformedMessageError extends Error {}

export class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** Each peer with the awareness client ids it introduced, removed when it leaves. */
  private readonly peers = new Map<Peer, Set<number>>();
  private lastSeq: number;
  private tailCount: number;
  private tailBytes: number;
  private pendingWrites = 0;
  private writeWaiters: (() => void)[] = [];
  private compacting: Promise<void> | null = null;
  private broken = false;

  constructor(
    readonly boardId: string,
    stored: StoredBoard,
    private readonly storage: Storage,
    private readonly policy: CompactionPolicy,
    private readonly log: Logger,
    /** Called once if storage fails: the registry drops the room so the next join reloads from disk. */
    private readonly onBroken: (room: Room) => void,
  ) {
    Y.transact(this.doc, () => {
      if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot);
      for (const update of stored.updates) Y.applyUpdate(this.doc, update);
    });
    this.lastSeq = stored.lastSeq;
    this.tailCount = stored.updates.length;
    this.tailBytes = stored.tailBytes;
    // the server has no presence of its own
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  get peerCount(): number {
    return this.peers.size;
  }

  join(peer: Peer): void {
    if (this.broken) {
      peer.close(1011, 'board storage failed');
      return;
    }
    this.peers.set(peer, new Set());
    // our step 1 makes the client upload edits it made offline (as step 2)
    peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    const clients = [...this.awareness.getStates().keys()];
    if (clients.length > 0) {
      peer.send(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)));
    }
  }

  leave(peer: Peer): void {
    const introduced = this.peers.get(peer);
    if (!introduced) return;
    this.peers.delete(peer);
    if (introduced.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...introduced], null);
    }
  }

  /** Handles one frame; throws MalformedMessageError for frames that must close the connection. */
  async receive(peer: Peer, frame: Uint8Array): Promise<void> {
    const decoded = decodeMessage(frame);
    if (!decoded.ok) throw new MalformedMessageError(decoded.reason);
    const msg = decoded.message;
    switch (msg.kind) {
      case 'sync-step1': {
        if (peer.closed) return;
        await this.whenPersisted();
        if (peer.closed || this.broken) return;
        peer.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, msg.stateVector)));
        return;
      }
      case 'sync-step2':
      case 'sync-update':
        await this.applyClientUpdate(peer, msg.update);
        return;
      case 'awareness':
        if (!this.peers.has(peer)) return; // left already: don't resurrect its presence
        awarenessProtocol.applyAwarenessUpdate(this.awareness, msg.update, peer);
        return;
      case 'query-awareness': {
        const clients = [...this.awareness.getStates().keys()];
        peer.send(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)));
        return;
      }
    }
  }

  private async applyClientUpdate(origin: Peer, update: Uint8Array): Promise<void> {
    // Capture what the doc actually integrated: that (not the raw bytes) is persisted and relayed.
    const integrated: Uint8Array[] = [];
    const capture = (u: Uint8Array) => integrated.push(u);
    this.doc.on('update', capture);
    let applyError: unknown = null;
    try {
      Y.applyUpdate(this.doc, update, origin);
    } catch (err) {
      applyError = err; // validated beforehand, so unexpected; whatever got integrated is still persisted below
    } finally {
      this.doc.off('update', capture);
    }
    if (integrated.length > 0) await this.persistAndBroadcast(integrated, origin);
    if (applyError) {
      throw new MalformedMessageError(`update failed to apply: ${String(applyError)}`);
    }
  }

  private async persistAndBroadcast(updates: Uint8Array[], origin: Peer): Promise<void> {
    this.pendingWrites++;
    try {
      this.lastSeq = await this.storage.appendUpdates(this.boardId, updates);
      this.tailCount += updates.length;
      for (const u of updates) this.tailBytes += u.byteLength;
    } catch (err) {
      this.fail(err);
      return;
    } finally {
      this.pendingWrites--;
      if (this.pendingWrites === 0) {
        const waiters = this.writeWaiters;
        this.writeWaiters = [];
        for (const wake of waiters) wake();
      }
    }
    for (const update of updates) {
      const frame = encodeSyncUpdate(update);
      for (const peer of this.peers.keys()) if (peer !== origin) peer.send(frame);
    }
    if (this.tailCount > this.policy.compactAfterUpdates || this.tailBytes > this.policy.compactAfterBytes) {
      void this.compact().catch((err: unknown) => this.log.error({ err, boardId: this.boardId }, 'compaction failed'));
    }
  }

  /** Resolves when no append is in flight, i.e. the doc equals what is on disk. */
  whenPersisted(): Promise<void> {
    if (this.pendingWrites === 0) return Promise.resolve();
    return new Promise((resolve) => this.writeWaiters.push(resolve));
  }

  /** Folds the log tail into a snapshot. Safe to call concurrently (calls share one run). */
  compact(): Promise<void> {
    if (this.compacting) return this.compacting;
    this.compacting = (async () => {
      await this.whenPersisted();
      if (this.broken || this.tailCount === 0) return;
      const uptoSeq = this.lastSeq;
      const started = performance.now();
      const state = Y.encodeStateAsUpdate(this.doc);
      // appends that land while this awaits get seq > uptoSeq and stay in the tail
      const countAtStart = this.tailCount;
      const bytesAtStart = this.tailBytes;
      await this.storage.compact(this.boardId, state, uptoSeq);
      this.tailCount -= countAtStart;
      this.tailBytes -= bytesAtStart;
      this.log.info(
        { boardId: this.boardId, uptoSeq, folded: countAtStart, stateBytes: state.byteLength, ms: Math.round(performance.now() - started) },
        'board compacted',
      );
    })().finally(() => {
      this.compacting = null;
    });
    return this.compacting;
  }

  private fail(err: unknown): void {
    if (this.broken) return;
    this.broken = true;
    this.log.error({ err, boardId: this.boardId }, 'storage write failed; closing board');
    // clients keep their edits and re-upload them on reconnect (server step 1)
    for (const peer of this.peers.keys()) peer.close(1011, 'board storage failed');
    this.onBroken(this);
  }

  get isBroken(): boolean {
    return this.broken;
  }

  destroy(): void {
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const introduced = this.peers.get(origin as Peer);
    if (introduced) {
      for (const id of added) introduced.add(id);
      for (const id of removed) introduced.delete(id);
    }
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    const frame = encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    // echoed to the sender too: it keeps the v3 client's 30 s watchdog fed
    for (const peer of this.peers.keys()) peer.send(frame);
  };
}
