/**
 * One loaded board: its Y.Doc, awareness and connected peers.
 *
 * THE PROMISE: an update the server has sent to any client is already on disk. Hence the order
 * validate -> apply -> (tick) append with every other update of the tick -> broadcast (see
 * flush-ticker.ts), and sync step 2 is only computed once nothing applied is unwritten, so a
 * joiner never receives state that is not yet persisted.
 *
 * Presence is relayed as raw bytes (presence.ts) and coalesced: one awareness message per tick.
 *
 * Limits enforced here: board size (4413, checked before apply; board-log.ts), awareness ownership and state
 * size (see limits/awareness-guard.ts), and updates with missing dependencies: what Yjs would park
 * in pendingStructs/pendingDs is thrown away (it would otherwise be persisted and served forever)
 * and the sender is asked to resync with our step 1, which a normal client answers with the
 * missing changes (e.g. ones it got from another tab over BroadcastChannel before the server did).
 * A connection that keeps sending gaps is closed with 4422.
 *
 * Scale-out (server/scale/): when several servers serve one board, `replication` is told of every
 * committed batch and of local presence changes (to publish them), and updates other servers
 * committed come in through scale/remote-room.ts (applyDurable) — already durable, so they go
 * straight to this room's clients. `seqs` tracks which log seqs the doc holds; compaction covers only
 * `seqs.applied`, below which nothing is missing.
 */
import * as Y from 'yjs';
import type { Board } from '../../lib/board/board';
import { CloseCode } from '../../lib/protocol/close-codes';
import { AwarenessGuard } from '../limits/awareness-guard';
import type { Logger } from '../logger';
import type { Storage, StoredBoard } from '../persistence/storage';
import {
  decodeMessage,
  type AwarenessEntry,
  encodeAwarenessMessage,
  encodeSyncStep1,
  encodeSyncUpdate,
} from '../protocol/messages';
import { SeqTracker } from './seq-tracker';
import type { Flushable, FlushTicker } from './flush-ticker';
import { Presence } from './presence';
import { BoardLog } from './board-log';
import { Step2Cache } from './step2-cache';
import { MalformedMessageError, REMOTE_ORIGIN, SERVER_ORIGIN, type EditListener, type Peer, type RoomPolicy } from './room-types';
import { serverChangeUpdate } from './server-change';
import { WriteQueue } from './write-queue';

export { MalformedMessageError, REMOTE_ORIGIN, SERVER_ORIGIN, type CompactionPolicy, type EditListener, type Peer, type RoomPolicy, type RoomReplication } from './room-types';

/** Consecutive updates with missing dependencies tolerated (each answered with a resync request). */
const MAX_GAP_STRIKES = 3;

export class Room implements Flushable {
  readonly doc = new Y.Doc();
  readonly presence = new Presence();
  /** Step 2 replies encoded once per doc version (a join storm asks 50 times for the same 5 MB). */
  readonly step2 = new Step2Cache(this.doc);
  /** Each peer with its count of consecutive updates that had missing dependencies (a number, not an object per peer). */
  private readonly peers = new Map<Peer, number>();
  private readonly awarenessGuard: AwarenessGuard<Peer>;
  private readonly presenceClock = (clientId: number): number | undefined => this.presence.clock(clientId);
  /** Log tail since the newest snapshot and the board's estimated size. */
  private readonly boardLog: BoardLog;
  /** Which log seqs the doc holds. */
  readonly seqs: SeqTracker;
  /** Applied updates on their way to disk (sent only once written). */
  private readonly writes = new WriteQueue();
  private lastPresenceAt = -Infinity;
  private compacting: Promise<void> | null = null;
  private broken = false;
  /** Version history's listener (server/history), set when the room is loaded; null without history. */
  edits: EditListener | null = null;

  constructor(
    readonly boardId: string,
    stored: StoredBoard,
    private readonly storage: Storage,
    private readonly policy: RoomPolicy,
    private readonly log: Logger,
    /** Called once if storage fails: the registry drops the room so the next join reloads from disk. */
    private readonly onBroken: (room: Room) => void,
    private readonly ticker: FlushTicker,
  ) {
    Y.transact(this.doc, () => {
      if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot);
      for (const update of stored.updates) Y.applyUpdate(this.doc, update);
    });
    this.seqs = new SeqTracker(stored.lastSeq);
    this.boardLog = new BoardLog(stored.snapshot?.byteLength ?? 0, stored.updates.length, stored.tailBytes, policy);
    this.awarenessGuard = new AwarenessGuard(policy.maxAwarenessStateBytes);
  }

  get peerCount(): number {
    return this.peers.size;
  }

  join(peer: Peer): void {
    if (this.broken) {
      peer.close(1011, 'board storage failed');
      return;
    }
    this.peers.set(peer, 0);
    // our step 1 makes the client upload edits it made offline (as step 2)
    peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    const all = this.presence.encodeAll();
    if (all) peer.send(encodeAwarenessMessage(all));
  }

  leave(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    const owned = this.awarenessGuard.release(peer);
    if (owned !== undefined && this.presence.remove(owned)) this.ticker.schedule(this);
  }

  /**
   * Handles one frame; throws MalformedMessageError for frames that must close the connection.
   * Returns a promise only for a frame that must wait (an update until it is on disk, a step 1
   * until nothing applied is unwritten); any other frame is done when this returns, so the
   * session needs no promise per presence frame.
   */
  receive(peer: Peer, frame: Uint8Array, receivedAt: number = performance.now()): Promise<void> | undefined {
    const decoded = decodeMessage(frame);
    if (!decoded.ok) throw new MalformedMessageError(decoded.reason);
    const msg = decoded.message;
    switch (msg.kind) {
      case 'sync-step1': {
        if (peer.closed) return;
        if (!this.writes.busy) return this.replyStep2(peer, msg.stateVector);
        return this.whenPersisted().then(() => this.replyStep2(peer, msg.stateVector));
      }
      case 'sync-step2':
      case 'sync-update':
        // a stock viewer client sends step 2 on every connect: dropped, not a reason to close
        if (peer.viewer) {
          this.policy.metrics?.error('viewer_write');
          return;
        }
        return this.applyClientUpdate(peer, msg.update, receivedAt);
      case 'awareness':
        this.receiveAwareness(peer, msg.entries);
        return;
      case 'query-awareness': {
        peer.send(encodeAwarenessMessage(this.presence.encodeAll() ?? new Uint8Array([0])));
        return;
      }
    }
  }

  /** Only once the doc equals what is on disk (THE PROMISE). */
  private replyStep2(peer: Peer, stateVector: Uint8Array): undefined {
    if (peer.closed || this.broken) return;
    peer.send(this.step2.reply(stateVector), true);
  }

  private receiveAwareness(peer: Peer, all: AwarenessEntry[]): void {
    if (!this.peers.has(peer)) return; // left already: don't resurrect its presence
    const entries = this.notHeldElsewhere(peer, all);
    const result = this.awarenessGuard.filter(peer, entries, this.presenceClock);
    const metrics = this.policy.metrics;
    if (result.tooLarge) {
      metrics?.error('awareness_too_large');
      throw new MalformedMessageError('awareness state too large', CloseCode.TooLarge, 'awareness state too large');
    }
    if (result.rebound) metrics?.reconnected();
    const dropped = result.dropped + all.length - entries.length;
    if (dropped > 0) {
      metrics?.error('awareness_foreign');
      this.log.debug({ boardId: this.boardId, conn: peer.id, dropped }, 'foreign awareness entries dropped');
    }
    if (result.kept.length > 0 && this.presence.apply(result.kept, Date.now())) this.ticker.schedule(this);
  }

  private async applyClientUpdate(origin: Peer, update: Uint8Array, receivedAt: number): Promise<void> {
    this.boardLog.checkSize(this.doc, update);
    const metrics = this.policy.metrics;
    // boards stored before this check existed may carry pending structs: don't blame this client
    const hadPending = this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
    const started = performance.now();
    const { integrated, error: applyError } = this.integrate(update, origin);
    metrics?.applySeconds.observe((performance.now() - started) / 1000);
    const gap = !hadPending && this.dropPending();
    if (integrated.length > 0) {
      const written = this.writes.add(integrated, origin, receivedAt);
      this.ticker.schedule(this);
      this.edits?.edited(origin);
      await written; // on disk and broadcast (committed), or abandoned (broken)
    }
    if (this.broken) return;
    if (applyError) {
      throw new MalformedMessageError(`update failed to apply: ${String(applyError)}`);
    }
    const strikes = this.peers.get(origin);
    if (!gap) {
      if (strikes) this.peers.set(origin, 0);
      return;
    }
    metrics?.error('pending_structs');
    if (strikes === undefined || strikes + 1 > MAX_GAP_STRIKES) {
      throw new MalformedMessageError('updates keep depending on changes the server does not have');
    }
    this.peers.set(origin, strikes + 1);
    this.log.info({ boardId: this.boardId, conn: origin.id, strikes: strikes + 1 }, 'update with missing dependencies; asking for resync');
    origin.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
  }

  /** Applies `update`: what the doc integrated (persisted and relayed, not the raw bytes) and what it threw (unexpected). */
  private integrate(update: Uint8Array, origin: Peer | typeof SERVER_ORIGIN): { integrated: Uint8Array[]; error: unknown } {
    const integrated: Uint8Array[] = [];
    const capture = (u: Uint8Array) => integrated.push(u);
    this.doc.on('update', capture);
    let error: unknown = null;
    try {
      Y.applyUpdate(this.doc, update, origin);
    } catch (err) {
      error = err;
    } finally {
      this.doc.off('update', capture);
    }
    return { integrated, error };
  }

  /**
   * A change the server makes (a restore): `fn` runs in ONE transaction (rooms/server-change.ts)
   * and the update goes the way of a client's — size check, apply, the tick's one append — and
   * only then to EVERY peer. Resolves once durable. Rejects, with nothing sent, if storage failed,
   * or with MalformedMessageError 4413 (board untouched) if the board would outgrow its limit.
   */
  async applyServerChange(fn: (board: Board) => void): Promise<void> {
    if (this.broken) throw new Error('board storage failed');
    const update = serverChangeUpdate(this.doc, fn);
    if (!update) return;
    this.boardLog.checkSize(this.doc, update);
    const { integrated, error } = this.integrate(update, SERVER_ORIGIN);
    if (integrated.length > 0) {
      const written = this.writes.add(integrated, null, performance.now()); // null: to every peer
      this.ticker.schedule(this);
      this.edits?.edited(null);
      await written;
    }
    if (this.broken) throw new Error('board storage failed: the change was not saved');
    if (error) throw error;
  }

  /** Discards structs/deletes Yjs parked for missing dependencies; true if there were any. */
  private dropPending(): boolean {
    const store = this.doc.store;
    if (store.pendingStructs === null && store.pendingDs === null) return false;
    store.pendingStructs = null;
    store.pendingDs = null;
    return true;
  }

  /** Ticker: broadcast coalesced presence now; hand over the updates to write. */
  flush(): Uint8Array[] | null {
    if (this.presence.hasChanges) {
      const now = performance.now();
      // edits going out this tick take the presence along: the peers get a write now anyway
      if (this.writes.hasOpenBatch || now - this.lastPresenceAt >= this.policy.presenceWindowMs) {
        this.lastPresenceAt = now;
        const dirty = this.presence.takeDirty();
        const frame = encodeAwarenessMessage(dirty?.all ?? new Uint8Array([0]));
        // echoed to the sender too: it keeps the v3 client's 30 s watchdog fed
        for (const peer of this.peers.keys()) peer.send(frame);
        if (dirty?.local) this.policy.replication?.presenceChanged(this, dirty.local);
      } else {
        this.ticker.later(this, this.lastPresenceAt + this.policy.presenceWindowMs);
      }
    }
    if (this.broken) return null;
    return this.writes.take()?.updates ?? null;
  }

  /** Ticker: the oldest in-flight batch is durable; now (and only now) it goes out. */
  committed(lastSeq: number): void {
    const batch = this.writes.shift();
    if (!batch) return;
    const metrics = this.policy.metrics;
    const firstSeq = lastSeq - batch.updates.length + 1;
    this.seqs.addRange(firstSeq, lastSeq);
    for (const u of batch.updates) this.boardLog.appended(u.byteLength);
    const now = performance.now();
    for (let i = 0; i < batch.updates.length; i++) {
      // encoded once, the same buffer to every socket
      const frame = encodeSyncUpdate(batch.updates[i]);
      const origin = batch.origins[i];
      for (const peer of this.peers.keys()) if (peer !== origin) peer.send(frame);
      metrics?.broadcastSeconds.observe((now - batch.receivedAt[i]) / 1000);
    }
    this.writes.settle(batch);
    this.policy.replication?.committed(this, firstSeq, batch.updates);
    this.maybeCompact();
  }

  private maybeCompact(): void {
    if (this.boardLog.needsCompaction) {
      void this.compact().catch((err: unknown) => this.log.error({ err, boardId: this.boardId }, 'compaction failed'));
    }
  }

  /**
   * An update that is already durable elsewhere (another server committed it): applied and sent to
   * every client here, never persisted again. Scale-out's side of a room lives in scale/remote-room.ts.
   */
  applyDurable(update: Uint8Array): void {
    try {
      Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
    } catch (err) {
      // stored by a server that validated it, so this is a bug or corruption: skip, keep serving
      this.log.error({ err, boardId: this.boardId }, 'remote update failed to apply');
    }
    this.boardLog.appended(update.byteLength, true);
    this.edits?.edited(null);
    const frame = encodeSyncUpdate(update);
    for (const peer of this.peers.keys()) peer.send(frame);
    this.maybeCompact();
  }

  /**
   * Before a connection binds its client id: ids whose state a client of another LIVE server
   * holds are not available (the guard only knows this server's connections). A client moving
   * here from a server that died binds once that server is declared gone (cluster-sync.ts).
   */
  private notHeldElsewhere(peer: Peer, entries: AwarenessEntry[]): AwarenessEntry[] {
    const replication = this.policy.replication;
    if (!replication || this.awarenessGuard.ownerOf(peer) !== undefined) return entries;
    return entries.filter((e) => {
      const origin = this.presence.originOf(e.clientId);
      return origin === undefined || !replication.serverAlive(origin);
    });
  }

  /** Presence changed without a local frame (another server's clients): broadcast with the next flush. */
  presenceChanged(): void {
    this.ticker.schedule(this);
  }

  /** Some applied update is not yet written (its seq is not known yet). */
  get writing(): boolean {
    return this.writes.busy;
  }

  /** Ticker: the oldest in-flight batch was not written; nothing of it was sent. */
  writeFailed(err: unknown): void {
    this.policy.metrics?.error('storage');
    this.fail(err);
  }

  /** Resolves when nothing applied is unwritten, i.e. the doc equals what is on disk. */
  whenPersisted(): Promise<void> {
    return this.writes.whenIdle();
  }

  /** Folds the log tail into a snapshot. Safe to call concurrently (calls share one run). */
  compact(): Promise<void> {
    if (this.compacting) return this.compacting;
    this.compacting = (async () => {
      await this.whenPersisted();
      if (this.broken || this.boardLog.tailEmpty) return;
      // not beyond a seq this doc lacks: the snapshot would claim changes it does not hold
      const uptoSeq = this.seqs.applied;
      const started = performance.now();
      const state = Y.encodeStateAsUpdate(this.doc);
      // appends that land while this awaits get seq > uptoSeq and stay in the tail
      const folded = this.boardLog.tail;
      await this.storage.compact(this.boardId, state, uptoSeq);
      this.boardLog.compacted(folded, state.byteLength);
      this.log.info(
        { boardId: this.boardId, uptoSeq, folded: folded.count, stateBytes: state.byteLength, ms: Math.round(performance.now() - started) },
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
    // updates applied but never written: release whoever waits on them (nothing was sent)
    this.writes.abandon();
    this.onBroken(this);
  }

  get isBroken(): boolean {
    return this.broken;
  }

  /** Registry's sweep timer (one for all rooms): drops states not renewed in time. */
  sweepPresence(now: number): void {
    if (this.presence.sweep(now)) this.ticker.schedule(this);
  }

  destroy(): void {
    this.doc.destroy();
  }
}
