/**
 * Keeps the rooms of this server in step with the same boards on the other servers.
 *
 * Design (ARCHITECTURE.md "Scale-out"): Postgres is the source of truth and the order (seqs per
 * board, gap-free); Redis pub/sub is only the fast path.
 * - Our batch commits -> the room sends it to its clients and we PUBLISH {seqs, updates}.
 * - A message from another server -> its updates are applied strictly in seq order; ones that
 *   arrive early wait in `pending`. A hole that does not close within `gapGraceMs` (a message
 *   lost or just slower than the next one) is filled from Postgres (`readSince`), as are holes
 *   the room's own commits reveal.
 * - Every `pollMs`, one cheap query compares each loaded board's last seq with what its room
 *   holds; any difference is caught up the same way. So with Redis down, boards still converge
 *   (at poll speed), and after a Redis restart nothing published meanwhile is lost.
 * - Presence goes over Redis only (not durable); a server that loads a board asks the others
 *   for their clients' presence.
 * - Liveness: every server publishes a heartbeat every HEARTBEAT_MS on the servers' channel. A
 *   server not heard from for DEAD_AFTER_MS — measured against our own heartbeats coming back,
 *   so an outage of OUR Redis link declares no one dead — is gone: its clients' presence is
 *   removed here at once (not after the 30 s presence timeout) and their client ids may be bound
 *   again by connections here. A server shutting down says `leaving`.
 * Applying remote updates in seq order means their dependencies are always present: an update
 * can only depend on changes its author had received, which were committed with lower seqs.
 */
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { validateUpdate } from '../protocol/messages';
import type { Room, RoomReplication } from '../rooms/room';
import type { RoomLifecycle } from '../rooms/room-registry';
import { decodeEnvelope, encodeEnvelope, type Envelope } from './envelope';
import type { RedisBus } from './redis-bus';
import type { SharedStorage } from '../persistence/shared-storage';
import { applyRemote, applyRemotePresence, applySnapshot, dropServerPresence, localPresence } from './remote-room';

export interface ClusterOptions {
  serverId: string;
  /** Period of the "am I behind?" check against storage. */
  pollMs: number;
  /** How long an out-of-order message waits for the ones before it before storage is asked. */
  gapGraceMs: number;
}

const HEARTBEAT_MS = 2_000;
const DEAD_AFTER_MS = 6_500;

/** Link rotations from other servers land here (closes connections opened with older links). */
export type LinkRevoker = (boardId: string, kind: 'edit' | 'view', version: number) => void;
/** Boards another server moved to the trash land here (closes their connections). */
export type BoardCloser = (boardId: string) => void;

interface BoardState {
  room: Room | null;
  /** Messages that arrived while the board was loading. */
  early: Envelope[];
  /** Updates received ahead of a hole: seq -> [update, sentAt]. */
  pending: Map<number, [Uint8Array, number]>;
  gapTimer: NodeJS.Timeout | null;
  catchingUp: Promise<void> | null;
}

export class ClusterSync implements RoomReplication, RoomLifecycle {
  private readonly boards = new Map<string, BoardState>();
  private bus: RedisBus | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private polling = false;
  private revoke: LinkRevoker = () => {};
  private closeDeleted: BoardCloser = () => {};
  private heartbeatTimer: NodeJS.Timeout | null = null;
  /** Other servers -> when we last heard anything from them (our clock). */
  private readonly lastSeen = new Map<string, number>();
  /** When our own last heartbeat came back through Redis. */
  private selfSeen = 0;

  constructor(
    private readonly storage: SharedStorage,
    private readonly options: ClusterOptions,
    private readonly log: Logger,
    private readonly metrics: Metrics | null,
  ) {}

  /** Wires the bus (null = no Redis: storage polls alone relay between servers) and starts polling. */
  start(bus: RedisBus | null, revoke: LinkRevoker, closeDeleted: BoardCloser = () => {}): void {
    this.bus = bus;
    this.revoke = revoke;
    this.closeDeleted = closeDeleted;
    this.pollTimer = setInterval(() => void this.poll(), this.options.pollMs);
    this.pollTimer.unref();
    if (bus) {
      this.heartbeatTimer = setInterval(() => this.heartbeat(), HEARTBEAT_MS);
      this.heartbeatTimer.unref();
      this.heartbeat();
    }
  }

  private heartbeat(): void {
    this.bus?.publishToServers(encodeEnvelope({ kind: 'heartbeat', serverId: this.options.serverId, sentAt: Date.now() }));
    for (const [serverId, seen] of this.lastSeen) {
      if (this.selfSeen - seen > DEAD_AFTER_MS) this.serverGone(serverId, 'silent');
    }
  }

  private serverGone(serverId: string, why: 'silent' | 'leaving'): void {
    if (!this.lastSeen.delete(serverId)) return;
    this.log.info({ serverId, why }, 'server gone; dropping its clients\' presence');
    for (const state of this.boards.values()) if (state.room) dropServerPresence(state.room, serverId);
  }

  serverAlive(serverId: string): boolean {
    return this.lastSeen.has(serverId);
  }

  /** Bus: heartbeat or goodbye of a server (our own included: it proves our link works). */
  receiveServers(bytes: Uint8Array): void {
    const env = decodeEnvelope(bytes);
    if (!env) return;
    if (env.serverId === this.options.serverId) {
      this.selfSeen = Date.now();
      return;
    }
    if (env.kind === 'leaving') this.serverGone(env.serverId, 'leaving');
    else this.lastSeen.set(env.serverId, Date.now());
  }

  /** Pending updates waiting for a hole to be filled, over all boards. */
  get backlog(): number {
    let n = 0;
    for (const b of this.boards.values()) n += b.pending.size;
    return n;
  }

  // --- RoomLifecycle -------------------------------------------------------------------------

  async beforeLoad(boardId: string): Promise<void> {
    this.boards.set(boardId, { room: null, early: [], pending: new Map(), gapTimer: null, catchingUp: null });
    await this.bus?.subscribe(boardId);
  }

  loaded(boardId: string, room: Room | null): void {
    const state = this.boards.get(boardId);
    if (!state) return;
    if (!room) {
      this.forget(boardId, state);
      return;
    }
    state.room = room;
    for (const env of state.early.splice(0)) this.handle(boardId, state, env);
    this.publish(boardId, { kind: 'presence-query' });
  }

  unloaded(room: Room): void {
    const state = this.boards.get(room.boardId);
    if (state && state.room === room) this.forget(room.boardId, state);
  }

  private forget(boardId: string, state: BoardState): void {
    if (state.gapTimer) clearTimeout(state.gapTimer);
    this.boards.delete(boardId);
    this.bus?.unsubscribe(boardId);
  }

  // --- RoomReplication -----------------------------------------------------------------------

  committed(room: Room, firstSeq: number, updates: readonly Uint8Array[]): void {
    this.publish(room.boardId, { kind: 'updates', firstSeq, updates: [...updates] });
    const state = this.boards.get(room.boardId);
    // our seqs jumped past ones we have not seen: their message is probably on its way
    if (state?.room === room && room.seqs.hasGap) this.armGapTimer(room.boardId, state);
  }

  presenceChanged(room: Room, update: Uint8Array): void {
    this.publish(room.boardId, { kind: 'presence', update });
  }

  /** A share link was rotated here: servers holding the board close older connections too. */
  linkRotated(boardId: string, link: 'edit' | 'view', version: number): void {
    this.publish(boardId, { kind: 'link-rotated', link, version });
  }

  /** A board was moved to the trash here: servers holding it close its connections too. */
  boardDeleted(boardId: string): void {
    this.publish(boardId, { kind: 'board-deleted' });
  }

  private publish(boardId: string, body: DistributiveOmit<Envelope, 'serverId' | 'sentAt'>): void {
    if (!this.bus) return;
    const env = { ...body, serverId: this.options.serverId, sentAt: Date.now() } as Envelope;
    this.bus.publish(boardId, encodeEnvelope(env));
  }

  // --- incoming ------------------------------------------------------------------------------

  /** Bus: a message on a board's channel. */
  receive(boardId: string, bytes: Uint8Array): void {
    const env = decodeEnvelope(bytes);
    if (!env) {
      this.metrics?.error('cluster_message');
      return;
    }
    if (env.serverId === this.options.serverId) return; // our own publish
    this.lastSeen.set(env.serverId, Date.now());
    const state = this.boards.get(boardId);
    if (!state) return; // unloaded meanwhile
    if (!state.room) state.early.push(env);
    else this.handle(boardId, state, env);
  }

  private handle(boardId: string, state: BoardState, env: Envelope): void {
    const room = state.room!;
    switch (env.kind) {
      case 'updates':
        env.updates.forEach((u, i) => {
          const seq = env.firstSeq + i;
          if (room.seqs.has(seq)) return;
          // Redis is not the source of truth: bytes that are not a whole update leave a hole,
          // which is then filled from Postgres like any lost message
          if (isValidUpdate(u)) state.pending.set(seq, [u, env.sentAt]);
          else this.metrics?.error('cluster_message');
        });
        this.drain(boardId, state);
        return;
      case 'presence':
        applyRemotePresence(room, env.update, env.serverId, this.log);
        return;
      case 'presence-query': {
        const mine = localPresence(room);
        if (mine) this.publish(boardId, { kind: 'presence', update: mine });
        return;
      }
      case 'link-rotated':
        this.revoke(boardId, env.link, env.version);
        return;
      case 'board-deleted':
        this.closeDeleted(boardId);
        return;
    }
  }

  /** Applies pending updates that continue the room's contiguous seqs; arms the gap timer if a hole remains. */
  private drain(boardId: string, state: BoardState): void {
    const room = state.room!;
    for (;;) {
      const next = room.seqs.applied + 1;
      const entry = state.pending.get(next);
      if (!entry) break;
      state.pending.delete(next);
      if (applyRemote(room, next, entry[0])) this.metrics?.clusterRelaySeconds.observe(Math.max(0, Date.now() - entry[1]) / 1000);
    }
    for (const seq of state.pending.keys()) if (room.seqs.has(seq)) state.pending.delete(seq);
    if (state.pending.size > 0 || room.seqs.hasGap) this.armGapTimer(boardId, state);
  }

  private armGapTimer(boardId: string, state: BoardState): void {
    if (state.gapTimer || state.catchingUp) return;
    state.gapTimer = setTimeout(() => {
      state.gapTimer = null;
      const room = state.room;
      if (room && (state.pending.size > 0 || room.seqs.hasGap)) void this.catchUp(boardId, state, 'gap');
    }, this.options.gapGraceMs);
    state.gapTimer.unref();
  }

  /** Reads what the room lacks from storage and applies it (single flight per board). */
  private catchUp(boardId: string, state: BoardState, reason: 'gap' | 'poll' | 'reconnect'): Promise<void> {
    state.catchingUp ??= (async () => {
      const room = state.room;
      if (!room) return;
      const since = await this.storage.readSince(boardId, room.seqs.applied);
      if (this.boards.get(boardId) !== state || state.room !== room) return; // unloaded meanwhile
      this.metrics?.clusterCatchUp(reason, since.updates.length + (since.snapshot ? 1 : 0));
      if (since.snapshot) applySnapshot(room, since.snapshot.state, since.snapshot.seqUpto);
      for (const u of since.updates) {
        if (room.seqs.has(u.seq)) continue;
        // from storage, in order; the seqs before it are in by now
        applyRemote(room, u.seq, u.data);
        state.pending.delete(u.seq);
      }
    })()
      .catch((err: unknown) => this.log.warn({ err, boardId }, 'catch-up from storage failed; retrying on the next poll'))
      .finally(() => {
        state.catchingUp = null;
        if (state.room && this.boards.get(boardId) === state) this.drain(boardId, state);
      });
    return state.catchingUp;
  }

  /** One query for all loaded boards: catch up the ones storage has more of. */
  private async poll(reason: 'poll' | 'reconnect' = 'poll'): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const ready = [...this.boards].filter(([, s]) => s.room && !s.room.writing && !s.catchingUp);
      if (ready.length === 0) return;
      const seqs = await this.storage.lastSeqs(ready.map(([id]) => id));
      const behind = () =>
        ready.filter(([boardId, state]) => state.room && this.boards.get(boardId) === state && (seqs.get(boardId) ?? 0) > state.room.seqs.applied);
      if (behind().length === 0) return;
      // what was just committed is usually still on its way through Redis: give it the grace period
      if (reason === 'poll') await new Promise((r) => setTimeout(r, this.options.gapGraceMs));
      for (const [boardId, state] of behind()) void this.catchUp(boardId, state, reason);
    } catch (err) {
      this.log.warn({ err }, 'cluster poll failed');
    } finally {
      this.polling = false;
    }
  }

  /** Bus: back after an outage (or first connect). Catch up everything; re-learn presence. */
  reconnected(): void {
    void this.poll('reconnect');
    for (const [boardId, state] of this.boards) if (state.room) this.publish(boardId, { kind: 'presence-query' });
  }

  /** Shutdown: tells the others at once (their clients' view of ours is cleared now, not in 6 s). */
  stop(): void {
    this.bus?.publishToServers(encodeEnvelope({ kind: 'leaving', serverId: this.options.serverId, sentAt: Date.now() }));
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    for (const s of this.boards.values()) if (s.gapTimer) clearTimeout(s.gapTimer);
  }
}

function isValidUpdate(update: Uint8Array): boolean {
  try {
    validateUpdate(update);
    return true;
  } catch {
    return false;
  }
}

/** Omit over each member of a union (plain Omit collapses the union). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
