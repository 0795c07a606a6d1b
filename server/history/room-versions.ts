/**
 * One loaded room's version history: who edited since the last version, when to take the next
 * automatic one, and taking versions (named and pre-restore ones too, so the "previous version"
 * the counts compare with is always the one this knows).
 *
 * Automatic versions are taken when
 *   (a) settle:   no edit for settleMs;
 *   (b) interval: edits keep coming, and intervalMs passed since the last version;
 *   (c) idle / unload: the last peer left, the room unloads or the server shuts down gracefully;
 * each only if the doc moved past the last version's seq (`room.seqs.applied`).
 *
 * Hot path: `edited` runs once per applied update. It stores a timestamp, remembers the sender's
 * name only when the sender differs from the previous one, and arms the one timer if none is
 * armed. The timer is never re-armed per edit: when it fires while edits go on, it re-arms itself
 * for the deadline as it is then.
 *
 * Cluster: every server holding the board runs this for its own room (another server's commits
 * count as edits, with no name). addVersion's dedupe — skip if the newest version covers our seq or
 * is younger than `dedupeWithinMs` — lets the first server's version through and no other: the
 * rest get null, and then rebuild their "previous version" from storage before the next capture.
 * A version lists the editors its own server saw.
 */
import * as Y from 'yjs';
import { openBoard } from '../../lib/board/board';
import { diffFingerprints, fingerprintBoard, type Fingerprints } from '../../lib/board/board-diff';
import { boardFromState } from '../../lib/board/ops-restore';
import { MAX_VERSION_NAME } from '../../lib/history/versions';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { VersionCorruptError, type VersionKind, type VersionMeta, type VersionStore } from '../persistence/versions';
import type { EditListener, Peer, Room } from '../rooms/room';
import type { CorruptVersions } from './corrupt-versions';

/** A version lists at most this many editors (lib/history/versions.ts), each at most this long. */
export const MAX_EDITORS = 50;
const MAX_EDITOR_NAME = 64;
/** Waits for in-flight writes before a capture at most this often (edits may keep the queue busy). */
const MAX_PERSIST_WAITS = 50;

export type CaptureReason = 'settle' | 'interval' | 'idle' | 'unload' | 'manual' | 'pre-restore';

export interface CaptureDeps {
  store: VersionStore;
  settleMs: number;
  intervalMs: number;
  log: Logger;
  metrics: Metrics | null;
  corrupt: CorruptVersions;
}

export class RoomVersions implements EditListener {
  /** performance.now() of the last edit. */
  private lastEditAt = 0;
  private lastEditor: Peer | null = null;
  private readonly editors = new Set<string>();
  /** The seq the newest version taken here (or found covering us) holds; the board's seq at load. */
  private baseSeq: number;
  /** Fingerprints of the version `baseId`; null: rebuild from the newest stored version. */
  private basePrints: Fingerprints | null = null;
  private baseId: number | null = null;
  /** performance.now() of the last version (the load, before the first). */
  private lastVersionAt = performance.now();
  private timer: NodeJS.Timeout | null = null;
  /** Captures run one at a time. */
  private running: Promise<unknown> = Promise.resolve();
  /** Captures asked for and not finished: the timer stands down meanwhile (a second version right after the first is no use). */
  private busy = 0;
  private closed = false;

  constructor(
    readonly room: Room,
    private readonly deps: CaptureDeps,
  ) {
    this.baseSeq = room.seqs.applied;
  }

  edited(peer: Peer | null): void {
    this.lastEditAt = performance.now();
    if (peer !== null && peer !== this.lastEditor) {
      this.lastEditor = peer;
      this.noteEditor(peer.name);
    }
    if (this.timer === null && !this.closed) this.arm();
  }

  /** Lists `name` among the editors of the next version (bounded). */
  noteEditor(name: string): void {
    const trimmed = name.trim().slice(0, MAX_EDITOR_NAME);
    if (trimmed && this.editors.size < MAX_EDITORS) this.editors.add(trimmed);
  }

  /** Arms the timer for the next deadline (or `due`, a performance.now() time). */
  private arm(due = Math.min(this.lastEditAt + this.deps.settleMs, this.lastVersionAt + this.deps.intervalMs)): void {
    this.timer = setTimeout(this.fire, Math.max(0, due - performance.now()));
    this.timer.unref();
  }

  private readonly fire = (): void => {
    this.timer = null;
    // a capture in progress re-arms the timer when it ends, if edits came in meanwhile
    if (this.closed || this.busy > 0) return;
    // timers may fire a little early: what is due within a millisecond is due
    const now = performance.now() + 1;
    if (now - this.lastEditAt >= this.deps.settleMs) void this.auto('settle');
    else if (now - this.lastVersionAt >= this.deps.intervalMs) void this.auto('interval');
    else this.arm();
  };

  /** An automatic version if anything changed; failures are logged and counted, never thrown. */
  auto(reason: 'settle' | 'interval' | 'idle' | 'unload'): Promise<void> {
    return this.capture('auto', reason).then(
      () => undefined,
      (err: unknown) => {
        this.deps.metrics?.error('version');
        this.deps.log.error({ err, boardId: this.room.boardId, reason }, 'automatic version failed');
        // try again one pause later (its deadline has passed: arming for it would retry at once, forever)
        if (this.closed) return;
        if (this.timer) clearTimeout(this.timer);
        this.arm(performance.now() + this.deps.settleMs);
      },
    );
  }

  /**
   * Takes a version of the room's current state, after everything applied is on disk. Automatic
   * ones: null if nothing changed since the last version or another server already has it.
   * Named and pre-restore ones are always stored.
   */
  capture(kind: VersionKind, reason: CaptureReason, name: string | null = null): Promise<VersionMeta | null> {
    const askedAt = performance.now();
    this.busy++;
    const run = this.running.then(() => this.captureNow(kind, reason, name));
    this.running = run
      .catch(() => undefined)
      .then(() => {
        this.busy--;
        // edits that came in while it ran (their timer stood down): their version is still due
        if (this.busy === 0 && this.lastEditAt > askedAt && this.timer === null && !this.closed) this.arm();
      });
    return run;
  }

  private async captureNow(kind: VersionKind, reason: CaptureReason, name: string | null): Promise<VersionMeta | null> {
    const room = this.room;
    // the state must be what is on disk up to `seq`: wait until no applied update is unwritten
    for (let i = 0; i < MAX_PERSIST_WAITS && room.writing; i++) await room.whenPersisted();
    if (room.isBroken) throw new Error('board storage failed');
    const seq = room.seqs.applied;
    if (kind === 'auto' && seq <= this.baseSeq) return null;
    // one synchronous block: the state, its fingerprints and its editors describe the same moment
    const takenAt = performance.now();
    const state = Y.encodeStateAsUpdate(room.doc);
    const prints = fingerprintBoard(openBoard(room.doc));
    const editors = [...this.editors];
    this.editors.clear();
    this.lastEditor = null;
    try {
      const before = await this.previousPrints();
      const changes = diffFingerprints(before, prints);
      const meta = await this.deps.store.addVersion(
        room.boardId,
        {
          kind,
          name: name === null ? null : name.slice(0, MAX_VERSION_NAME),
          editors,
          added: changes.added.length,
          changed: changes.changed.length,
          removed: changes.removed.length,
          shapeCount: prints.size,
          seq,
          state,
        },
        kind === 'auto' ? { dedupeWithinMs: this.dedupeWithinMs(reason) } : undefined,
      );
      // null: another server's version covers this; which one is newest is read again next time
      this.basePrints = meta ? prints : null;
      this.baseId = meta?.id ?? null;
      this.baseSeq = Math.max(this.baseSeq, seq);
      this.lastVersionAt = takenAt;
      if (meta) this.deps.log.info({ boardId: room.boardId, versionId: meta.id, kind, reason, seq }, 'version taken');
      return meta;
    } catch (err) {
      // not stored: the next version lists them
      for (const editor of editors) this.noteEditor(editor);
      throw err;
    }
  }

  /**
   * Settle and interval captures skip a version another server took moments ago; the last capture
   * before a room goes only skips one covering its seq (a quick leave after a version must not be
   * lost to the time rule, and 1 ms rather than 0 because 0 reads as "no dedupe" too easily).
   */
  private dedupeWithinMs(reason: CaptureReason): number {
    return reason === 'settle' || reason === 'interval' ? Math.min(this.deps.settleMs, this.deps.intervalMs) / 2 : 1;
  }

  /** Fingerprints of the board's newest stored version (empty if none or unreadable: all counts as added). */
  private async previousPrints(): Promise<Fingerprints> {
    const { store } = this.deps;
    const boardId = this.room.boardId;
    // cheap (metadata): in a cluster another server may have taken a version since ours
    const [newest] = await store.listVersions(boardId, { limit: 1 });
    if (!newest) return new Map();
    if (this.basePrints && newest.id === this.baseId) return this.basePrints;
    let state: Uint8Array | null;
    try {
      state = await store.loadVersionState(boardId, newest.id);
    } catch (err) {
      if (!(err instanceof VersionCorruptError)) throw err; // storage trouble: this capture fails
      return this.unreadable(newest.id, err);
    }
    if (!state) return new Map();
    try {
      return fingerprintBoard(boardFromState(state));
    } catch (err) {
      return this.unreadable(newest.id, err); // stored, but not a board's state
    }
  }

  private unreadable(versionId: number, err: unknown): Fingerprints {
    const boardId = this.room.boardId;
    this.deps.corrupt.add(boardId, versionId);
    this.deps.log.error({ err, boardId, versionId }, 'previous version failed to load; counting every shape as added');
    return new Map();
  }

  /** The room is gone: no more timers. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
