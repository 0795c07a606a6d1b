/**
 * A VersionStore in memory, for tests of the history service before (and besides) the real
 * SQLite/Postgres stores: real behaviour as server/persistence/versions.ts documents it — full
 * states kept, the automatic-version dedupe rule, retention tiers, the trash — without a database.
 * `withVersionStore` puts it in front of a real board Storage, so a test server keeps its boards in
 * SQLite and its versions here.
 */
import type { Storage } from '../persistence/storage';
import {
  VersionCorruptError,
  type AddVersionOptions,
  type NewVersion,
  type RetentionPolicy,
  type TrashedBoard,
  type VersionMeta,
  type VersionStore,
} from '../persistence/versions';

interface Row {
  meta: VersionMeta;
  seq: number;
  state: Uint8Array;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export class MemoryVersionStore implements VersionStore {
  private readonly boards = new Map<string, Row[]>();
  private readonly checkpoints = new Map<string, number>();
  private readonly trash = new Map<string, number>();
  private readonly broken = new Set<string>();
  private nextId = 1;
  /** Every addVersion call, skipped ones included (tests count dedupe decisions). */
  readonly calls: { boardId: string; kind: string; skipped: boolean }[] = [];

  /** Test hook: loading this version throws VersionCorruptError from now on. */
  corrupt(boardId: string, id: number): void {
    this.broken.add(`${boardId}/${id}`);
  }

  private rows(boardId: string): Row[] {
    let rows = this.boards.get(boardId);
    if (!rows) this.boards.set(boardId, (rows = []));
    return rows;
  }

  private withCheckpoint(boardId: string, meta: VersionMeta): VersionMeta {
    return { ...meta, editors: [...meta.editors], checkpoint: this.checkpoints.get(boardId) === meta.id };
  }

  async addVersion(boardId: string, version: NewVersion, options: AddVersionOptions = {}): Promise<VersionMeta | null> {
    const rows = this.rows(boardId);
    const createdAt = version.createdAt ?? Date.now();
    const newest = rows.at(-1);
    const dedupe = version.kind === 'auto' && options.dedupeWithinMs !== undefined;
    if (dedupe && newest && (newest.seq >= version.seq || createdAt - newest.meta.createdAt < options.dedupeWithinMs!)) {
      this.calls.push({ boardId, kind: version.kind, skipped: true });
      return null;
    }
    const meta: VersionMeta = {
      id: this.nextId++,
      createdAt,
      kind: version.kind,
      name: version.name,
      editors: [...version.editors],
      added: version.added,
      changed: version.changed,
      removed: version.removed,
      shapeCount: version.shapeCount,
      bytes: version.state.byteLength,
      checkpoint: false,
    };
    rows.push({ meta, seq: version.seq, state: version.state.slice() });
    this.calls.push({ boardId, kind: version.kind, skipped: false });
    return this.withCheckpoint(boardId, meta);
  }

  async listVersions(boardId: string, options: { limit?: number; beforeId?: number } = {}): Promise<VersionMeta[]> {
    const before = options.beforeId ?? Infinity;
    return (this.boards.get(boardId) ?? [])
      .filter((r) => r.meta.id < before)
      .reverse()
      .slice(0, options.limit ?? Infinity)
      .map((r) => this.withCheckpoint(boardId, r.meta));
  }

  private find(boardId: string, id: number): Row | undefined {
    return this.boards.get(boardId)?.find((r) => r.meta.id === id);
  }

  async getVersion(boardId: string, id: number): Promise<VersionMeta | null> {
    const row = this.find(boardId, id);
    return row ? this.withCheckpoint(boardId, row.meta) : null;
  }

  async loadVersionState(boardId: string, id: number): Promise<Uint8Array | null> {
    const row = this.find(boardId, id);
    if (!row) return null;
    if (this.broken.has(`${boardId}/${id}`)) throw new VersionCorruptError(boardId, id, 'test: marked corrupt');
    return row.state.slice();
  }

  async renameVersion(boardId: string, id: number, name: string | null): Promise<boolean> {
    const row = this.find(boardId, id);
    if (!row) return false;
    row.meta = { ...row.meta, name, kind: name === null ? row.meta.kind : 'named' };
    return true;
  }

  async deleteVersion(boardId: string, id: number): Promise<boolean> {
    const rows = this.boards.get(boardId);
    const at = rows?.findIndex((r) => r.meta.id === id) ?? -1;
    if (!rows || at < 0) return false;
    rows.splice(at, 1);
    if (this.checkpoints.get(boardId) === id) this.checkpoints.delete(boardId);
    return true;
  }

  async setCheckpoint(boardId: string, id: number | null): Promise<boolean> {
    if (id === null) {
      this.checkpoints.delete(boardId);
      return true;
    }
    if (!this.find(boardId, id)) return false;
    this.checkpoints.set(boardId, id);
    return true;
  }

  async getCheckpoint(boardId: string): Promise<number | null> {
    return this.checkpoints.get(boardId) ?? null;
  }

  async pruneVersions(policy: RetentionPolicy, now: number = Date.now()): Promise<number> {
    let deleted = 0;
    for (const [boardId, rows] of this.boards) {
      const keep = new Set<Row>();
      const newestOfBucket = new Map<string, Row>();
      for (const row of rows) {
        const age = now - row.meta.createdAt;
        if (row === rows.at(-1) || row.meta.kind === 'named' || this.checkpoints.get(boardId) === row.meta.id || age < policy.keepAllMs) {
          keep.add(row);
        } else if (age < policy.keepHourlyMs) {
          newestOfBucket.set(`h${Math.floor(row.meta.createdAt / HOUR)}`, row); // rows are oldest first: the last one wins
        } else if (policy.keepDailyMs === 0 || age < policy.keepDailyMs) {
          newestOfBucket.set(`d${Math.floor(row.meta.createdAt / DAY)}`, row);
        }
      }
      for (const row of newestOfBucket.values()) keep.add(row);
      const kept = rows.filter((r) => keep.has(r));
      deleted += rows.length - kept.length;
      this.boards.set(boardId, kept);
    }
    return deleted;
  }

  async versionBytes(boardId: string): Promise<number> {
    return (this.boards.get(boardId) ?? []).reduce((sum, r) => sum + r.meta.bytes, 0);
  }

  async trashBoard(boardId: string, now: number = Date.now()): Promise<void> {
    if (!this.trash.has(boardId)) this.trash.set(boardId, now);
  }

  async untrashBoard(boardId: string): Promise<boolean> {
    return this.trash.delete(boardId);
  }

  async trashedAt(boardId: string): Promise<number | null> {
    return this.trash.get(boardId) ?? null;
  }

  async listTrash(): Promise<TrashedBoard[]> {
    return [...this.trash].map(([boardId, deletedAt]) => ({ boardId, deletedAt })).sort((a, b) => b.deletedAt - a.deletedAt);
  }

  /** Deletes the boards' versions, checkpoints and trash entries (their board data lives elsewhere). */
  async purgeTrash(before: number): Promise<string[]> {
    const purged = [...this.trash].filter(([, at]) => at < before).map(([boardId]) => boardId);
    for (const boardId of purged) {
      this.trash.delete(boardId);
      this.boards.delete(boardId);
      this.checkpoints.delete(boardId);
    }
    return purged;
  }
}

const VERSION_METHODS = [
  'addVersion',
  'listVersions',
  'getVersion',
  'loadVersionState',
  'renameVersion',
  'deleteVersion',
  'setCheckpoint',
  'getCheckpoint',
  'pruneVersions',
  'versionBytes',
  'trashBoard',
  'untrashBoard',
  'trashedAt',
  'listTrash',
  'purgeTrash',
] as const satisfies readonly (keyof VersionStore)[];
// a method added to VersionStore and not listed above fails to compile here
const everyMethodListed: Exclude<keyof VersionStore, (typeof VERSION_METHODS)[number]> extends never ? true : never = true;
void everyMethodListed;

/**
 * `storage` (boards, links) with `versions` in front of it: one object that is both, as the real
 * stores are. A Proxy rather than a subclass so any Storage (SQLite, Postgres) can be wrapped.
 */
export function withVersionStore<S extends Storage>(storage: S, versions: VersionStore = new MemoryVersionStore()): S & VersionStore {
  const own = new Set<PropertyKey>(VERSION_METHODS);
  return new Proxy(storage, {
    get(target, prop) {
      const from: object = own.has(prop) ? versions : target;
      const value: unknown = Reflect.get(from, prop, from);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(from) : value;
    },
  }) as S & VersionStore;
}
