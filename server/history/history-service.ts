/**
 * Version history and the trash, as the internal API (transport/history-api.ts) offers them.
 *
 * Restore is two durable steps in this order: (1) a 'pre-restore' version of the board as it is
 * (its own storage transaction), (2) the restore itself as ONE server change through the room's
 * write path (rooms/room.ts applyServerChange: one append, then broadcast to every peer). A crash
 * at any moment therefore leaves the board either untouched or fully restored, and whenever it is
 * restored the pre-restore version exists. Restores of one board run one after another.
 *
 * Trash: `trash` marks the board in storage first, then closes its connections (4410) here and,
 * in a cluster, on the other servers (Redis message; the link sweep reads the trash every
 * LINK_SWEEP_MS as the fallback). From then on the board refuses connections (auth) and its link
 * resolve answers 404, so the app mints no tokens for it. Restoring, resetting or saving a version
 * of a trashed board is refused; reading its history is not.
 */
import type { Board } from '../../lib/board/board';
import { boardFromState, restoreBoard, type RestoreResult } from '../../lib/board/ops-restore';
import { MAX_VERSION_NAME } from '../../lib/history/versions';
import { CloseCode } from '../../lib/protocol/close-codes';
import type { BoardAuth } from '../auth/board-auth';
import type { Logger } from '../logger';
import { VersionCorruptError, type TrashedBoard, type VersionMeta, type VersionStore } from '../persistence/versions';
import { MalformedMessageError, SERVER_ORIGIN, type Room } from '../rooms/room';
import type { RoomRegistry } from '../rooms/room-registry';
import type { CorruptVersions } from './corrupt-versions';
import type { RoomVersions } from './room-versions';
import type { VersionCapture } from './version-capture';

export type HistoryErrorKind = 'not-found' | 'deleted' | 'no-checkpoint' | 'corrupt' | 'too-large';

/** A refusal the API turns into a 4xx (history-api.ts maps the kind to a status). */
export class HistoryError extends Error {
  constructor(
    readonly kind: HistoryErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** A restore's answer (the app's client reads it with lib/auth/sync-history.ts restoreResultSchema). */
export interface RestoreOutcome extends RestoreResult {
  /** The version that was restored. */
  restored: VersionMeta;
  /** The board as it was just before. */
  preRestore: VersionMeta;
}

export interface HistoryDeps {
  registry: RoomRegistry;
  store: VersionStore;
  capture: VersionCapture;
  auth: BoardAuth | null;
  corrupt: CorruptVersions;
  log: Logger;
}

/** "Before restoring …", naming the restored version by its name or its time. */
export function preRestoreName(target: VersionMeta): string {
  const label = target.name !== null ? `"${target.name}"` : `the version of ${new Date(target.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const name = `Before restoring ${label}`;
  return name.length <= MAX_VERSION_NAME ? name : `${name.slice(0, MAX_VERSION_NAME - 2)}…"`;
}

export class HistoryService {
  /** Per board, the end of its chain of restores (entries go once the chain is idle). */
  private readonly restoring = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: HistoryDeps) {}

  async list(boardId: string, options: { limit: number; beforeId?: number }): Promise<{ versions: VersionMeta[]; corrupt: number[] }> {
    const versions = await this.deps.store.listVersions(boardId, options);
    return { versions, corrupt: this.deps.corrupt.among(boardId, versions.map((v) => v.id)) };
  }

  get(boardId: string, versionId: number): Promise<VersionMeta | null> {
    return this.deps.store.getVersion(boardId, versionId);
  }

  /** A named (or pre-restore) version of the board as it is now; loads the board if needed. */
  async createVersion(boardId: string, options: { kind: 'named' | 'pre-restore'; name: string | null; by: string | null }): Promise<VersionMeta> {
    await this.refuseTrashed(boardId);
    return this.withRoom(boardId, async (_room, versions) => {
      const meta = await versions.capture(options.kind, 'manual', options.name);
      if (!meta) throw new Error('version was not stored'); // never skipped: only automatic ones are
      this.deps.log.info({ boardId, versionId: meta.id, kind: meta.kind, by: options.by }, 'version saved');
      return meta;
    });
  }

  /** The version's full state; null if there is none; HistoryError 'corrupt' if it cannot be rebuilt. */
  async loadState(boardId: string, versionId: number): Promise<Uint8Array | null> {
    try {
      return await this.deps.store.loadVersionState(boardId, versionId);
    } catch (err) {
      throw err instanceof VersionCorruptError ? this.corrupted(boardId, versionId, err) : err;
    }
  }

  async rename(boardId: string, versionId: number, name: string | null): Promise<VersionMeta | null> {
    if (!(await this.deps.store.renameVersion(boardId, versionId, name))) return null;
    return this.deps.store.getVersion(boardId, versionId);
  }

  async delete(boardId: string, versionId: number): Promise<boolean> {
    const deleted = await this.deps.store.deleteVersion(boardId, versionId);
    if (deleted) this.deps.corrupt.forget(boardId, versionId);
    return deleted;
  }

  /** false if the version does not exist. */
  setCheckpoint(boardId: string, versionId: number | null): Promise<boolean> {
    return this.deps.store.setCheckpoint(boardId, versionId);
  }

  /** Makes the board equal to the version: pre-restore version first, then one durable change. */
  restore(boardId: string, versionId: number, by: string | null): Promise<RestoreOutcome> {
    return this.oneAtATime(boardId, () => this.restoreNow(boardId, versionId, by));
  }

  /** Restores the board's checkpoint (the demo reset). */
  resetToCheckpoint(boardId: string, by: string | null): Promise<RestoreOutcome> {
    return this.oneAtATime(boardId, async () => {
      const checkpoint = await this.deps.store.getCheckpoint(boardId);
      if (checkpoint === null) throw new HistoryError('no-checkpoint', 'board has no checkpoint');
      return this.restoreNow(boardId, checkpoint, by);
    });
  }

  private async restoreNow(boardId: string, versionId: number, by: string | null): Promise<RestoreOutcome> {
    const { store, log } = this.deps;
    await this.refuseTrashed(boardId);
    const target = await store.getVersion(boardId, versionId);
    if (!target) throw new HistoryError('not-found', 'no such version');
    const state = await this.loadState(boardId, versionId);
    if (!state) throw new HistoryError('not-found', 'no such version'); // deleted meanwhile
    let source: Board;
    try {
      source = boardFromState(state);
    } catch (err) {
      throw this.corrupted(boardId, versionId, err); // stored, but not a board's state
    }
    return this.withRoom(boardId, async (room, versions) => {
      // (1) durable before anything changes: a crash from here on leaves a way back
      const preRestore = await versions.capture('pre-restore', 'pre-restore', preRestoreName(target));
      if (!preRestore) throw new Error('pre-restore version was not stored');
      // (2) one transaction, one append, then every peer
      let result: RestoreResult = { added: 0, changed: 0, removed: 0 };
      try {
        await room.applyServerChange((board) => {
          result = restoreBoard(board, source, SERVER_ORIGIN);
        });
      } catch (err) {
        if (err instanceof MalformedMessageError && err.closeCode === CloseCode.TooLarge) {
          throw new HistoryError('too-large', 'restoring would grow the board past its size limit');
        }
        throw err;
      }
      if (by) versions.noteEditor(by);
      log.info({ boardId, versionId, preRestoreId: preRestore.id, by, ...result }, 'version restored');
      return { restored: target, preRestore, ...result };
    });
  }

  /** Moves the board to the trash and closes its connections; returns when it was trashed. */
  async trash(boardId: string): Promise<number> {
    await this.deps.store.trashBoard(boardId);
    const deletedAt = (await this.deps.store.trashedAt(boardId)) ?? Date.now();
    this.deps.auth?.boardDeleted(boardId);
    this.deps.log.info({ boardId, deletedAt }, 'board moved to the trash');
    return deletedAt;
  }

  /** false if the board was not in the trash. */
  async untrash(boardId: string): Promise<boolean> {
    const restored = await this.deps.store.untrashBoard(boardId);
    if (restored) this.deps.log.info({ boardId }, 'board taken out of the trash');
    return restored;
  }

  listTrash(): Promise<TrashedBoard[]> {
    return this.deps.store.listTrash();
  }

  private async refuseTrashed(boardId: string): Promise<void> {
    if ((await this.deps.store.trashedAt(boardId)) !== null) throw new HistoryError('deleted', 'board is deleted');
  }

  /** A version that cannot be rebuilt: remembered (the list shows it), logged, refused as 'corrupt'. */
  private corrupted(boardId: string, versionId: number, err: unknown): HistoryError {
    this.deps.corrupt.add(boardId, versionId);
    this.deps.log.error({ err, boardId, versionId }, 'version failed to load');
    return new HistoryError('corrupt', 'version failed to load');
  }

  private async withRoom<T>(boardId: string, fn: (room: Room, versions: RoomVersions) => Promise<T>): Promise<T> {
    const { registry, capture } = this.deps;
    const room = await registry.acquire(boardId);
    try {
      return await fn(room, capture.of(room));
    } finally {
      registry.release(room);
    }
  }

  private oneAtATime<T>(boardId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.restoring.get(boardId) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.restoring.set(boardId, settled);
    void settled.then(() => {
      if (this.restoring.get(boardId) === settled) this.restoring.delete(boardId);
    });
    return run;
  }
}
