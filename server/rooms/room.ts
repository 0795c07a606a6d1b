/**
 * One loaded board: its Y.Doc, awareness and connected peers.
 *
 * THE PROMISE: an update the server has sent to any client is already on disk. Hence the order
 * validate -> apply -> append (await) -> broadcast, and sync step 2 is only computed once no
 * append is in flight, so a joiner never receives state that is not yet persisted.
 *
 * Limits enforced here: board size (4413, checked before apply), awareness ownership and state
 * size (see limits/awareness-guard.ts), and updates with missing dependencies: what Yjs would park
 * in pendingStructs/pendingDs is thrown away (it would otherwise be persisted and served forever)
 * and the sender is asked to resync with our step 1, which a normal client answers with the
 * missing changes (e.g. ones it got from another tab over BroadcastChannel before the server did).
 * A connection that keeps sending gaps is closed with 4422.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { CloseCode } from '../../lib/protocol/close-codes';
import { AwarenessGuard } from '../limits/awareness-guard';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
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

export interface RoomPolicy extends CompactionPolicy {
  maxBoardBytes: number;
  maxAwarenessStateBytes: number;
  metrics?: Metrics | null;
}

/** A frame that must close its connection; the session closes with `closeCode`. */
export class MalformedMessageError extends Error {
  constructor(
    message: string,
    readonly closeCode: number = CloseCode.MalformedMessage,
    readonly closeReason: string = 'malformed message',
  ) {
    super(message);
  }
}

/** Consecutive updates with missing dependencies tolerated (each answered with a resync request). */
const MAX_GAP_STRIKES = 3;

export class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** Each peer with its count of consecutive updates that had missing dependencies. */
  private readonly peers = new Map<Peer, { gapStrikes: number }>();
  private readonly awarenessGuard: AwarenessGuard<Peer>;
  /** Encoded size of the board, approximated between compactions (see checkBoardSize). */
  private boardBytes: number;
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
    private readonly policy: RoomPolicy,
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
    this.boardBytes = (stored.snapshot?.byteLength ?? 0) + stored.tailBytes;
    this.awarenessGuard = new AwarenessGuard(policy.maxAwarenessStateBytes);
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
    this.peers.set(peer, { gapStrikes: 0 });
    // our step 1 makes the client upload edits it made offline (as step 2)
    peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    const clients = [...this.awareness.getStates().keys()];
    if (clients.length > 0) {
      peer.send(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)));
    }
  }

  leave(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    const owned = this.awarenessGuard.release(peer);
    if (owned !== undefined && this.awareness.getStates().has(owned)) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [owned], null);
    }
  }

  /** Handles one frame; throws MalformedMessageError for frames that must close the connection. */
  async receive(peer: Peer, frame: Uint8Array, receivedAt: number = performance.now()): Promise<void> {
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
        await this.applyClientUpdate(peer, msg.update, receivedAt);
        return;
      case 'awareness': {
        if (!this.peers.has(peer)) return; // left already: don't resurrect its presence
        const result = this.awarenessGuard.filter(peer, msg.entries, (id) => this.awareness.meta.get(id)?.clock);
        const metrics = this.policy.metrics;
        if (result.tooLarge) {
          metrics?.error('awareness_too_large');
          throw new MalformedMessageError('awareness state too large', CloseCode.TooLarge, 'awareness state too large');
        }
        if (result.rebound) metrics?.reconnected();
        if (result.dropped > 0) {
          metrics?.error('awareness_foreign');
          this.log.debug({ boardId: this.boardId, conn: peer.id, dropped: result.dropped }, 'foreign awareness entries dropped');
        }
        if (result.update) awarenessProtocol.applyAwarenessUpdate(this.awareness, result.update, peer);
        return;
      }
      case 'query-awareness': {
        const clients = [...this.awareness.getStates().keys()];
        peer.send(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)));
        return;
      }
    }
  }

  private async applyClientUpdate(origin: Peer, update: Uint8Array, receivedAt: number): Promise<void> {
    this.checkBoardSize(update);
    const metrics = this.policy.metrics;
    // boards stored before this check existed may carry pending structs: don't blame this client
    const hadPending = this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
    // Capture what the doc actually integrated: that (not the raw bytes) is persisted and relayed.
    const integrated: Uint8Array[] = [];
    const capture = (u: Uint8Array) => integrated.push(u);
    this.doc.on('update', capture);
    let applyError: unknown = null;
    const started = performance.now();
    try {
      Y.applyUpdate(this.doc, update, origin);
    } catch (err) {
      applyError = err; // validated beforehand, so unexpected; whatever got integrated is still persisted below
    } finally {
      this.doc.off('update', capture);
    }
    metrics?.applySeconds.observe((performance.now() - started) / 1000);
    const gap = !hadPending && this.dropPending();
    if (integrated.length > 0) await this.persistAndBroadcast(integrated, origin, receivedAt);
    if (applyError) {
      throw new MalformedMessageError(`update failed to apply: ${String(applyError)}`);
    }
    const state = this.peers.get(origin);
    if (!gap) {
      if (state) state.gapStrikes = 0;
      return;
    }
    metrics?.error('pending_structs');
    if (!state || ++state.gapStrikes > MAX_GAP_STRIKES) {
      throw new MalformedMessageError('updates keep depending on changes the server does not have');
    }
    this.log.info({ boardId: this.boardId, conn: origin.id, strikes: state.gapStrikes }, 'update with missing dependencies; asking for resync');
    origin.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
  }

  /** Throws (4413) if applying `update` could grow the board past maxBoardBytes. */
  private checkBoardSize(update: Uint8Array): void {
    const max = this.policy.maxBoardBytes;
    if (this.boardBytes + update.byteLength <= max) return;
    // Near the limit: measure exactly instead of trusting the running estimate, and count only
    // what the doc lacks (a reconnecting client's step 2 repeats the whole delete set).
    this.boardBytes = Y.encodeStateAsUpdate(this.doc).byteLength;
    const added = Y.diffUpdate(update, Y.encodeStateVector(this.doc)).byteLength;
    if (this.boardBytes + added <= max) return;
    this.policy.metrics?.error('board_too_large');
    throw new MalformedMessageError(
      `board would grow past ${max} bytes (now ${this.boardBytes}, update ${update.byteLength})`,
      CloseCode.TooLarge,
      'board too large',
    );
  }

  /** Discards structs/deletes Yjs parked for missing dependencies; true if there were any. */
  private dropPending(): boolean {
    const store = this.doc.store;
    if (store.pendingStructs === null && store.pendingDs === null) return false;
    store.pendingStructs = null;
    store.pendingDs = null;
    return true;
  }

  private async persistAndBroadcast(updates: Uint8Array[], origin: Peer, receivedAt: number): Promise<void> {
    const metrics = this.policy.metrics;
    this.pendingWrites++;
    try {
      const started = performance.now();
      this.lastSeq = await this.storage.appendUpdates(this.boardId, updates);
      metrics?.persistSeconds.observe((performance.now() - started) / 1000);
      this.tailCount += updates.length;
      for (const u of updates) {
        this.tailBytes += u.byteLength;
        this.boardBytes += u.byteLength;
      }
    } catch (err) {
      metrics?.error('storage');
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
    metrics?.broadcastSeconds.observe((performance.now() - receivedAt) / 1000);
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
      this.boardBytes = state.byteLength + this.tailBytes;
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
  ): void => {
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    const frame = encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    // echoed to the sender too: it keeps the v3 client's 30 s watchdog fed
    for (const peer of this.peers.keys()) peer.send(frame);
  };
}
