/** Version rows as both SQL backends store them, and the rules both apply to them. */
import { VERSION_KINDS } from '../../lib/history/versions';
import type { ChainTip, EncodedVersion } from './version-chain';
import type { AddVersionOptions, NewVersion, VersionKind, VersionMeta } from './versions';

/** The metadata columns, in the order of the table (the blobs come last so listing skips them). */
export const META_COLUMNS = 'id, created_at, kind, name, editors, added, changed, removed, shape_count, bytes';

export interface MetaRow {
  id: number;
  created_at: number;
  kind: string;
  name: string | null;
  editors: string;
  added: number;
  changed: number;
  removed: number;
  shape_count: number;
  bytes: number;
}

/** The board's newest version, as adding the next one reads it. */
export interface TipRow {
  id: number;
  seq: number;
  created_at: number;
  state_vector: Uint8Array;
  delete_set: Uint8Array | null;
}

function parseEditors(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((e): e is string => typeof e === 'string') : [];
  } catch {
    return []; // a damaged editors column must not hide the version
  }
}

function parseKind(kind: string): VersionKind {
  return (VERSION_KINDS as readonly string[]).includes(kind) ? (kind as VersionKind) : 'auto';
}

export function toVersionMeta(row: MetaRow, checkpointId: number | null): VersionMeta {
  return {
    id: row.id,
    createdAt: row.created_at,
    kind: parseKind(row.kind),
    name: row.name,
    editors: parseEditors(row.editors),
    added: row.added,
    changed: row.changed,
    removed: row.removed,
    shapeCount: row.shape_count,
    bytes: row.bytes,
    checkpoint: row.id === checkpointId,
  };
}

/**
 * The dedupe rule for automatic versions (versions.ts AddVersionOptions): skip if the newest
 * version already covers this seq, or is younger than dedupeWithinMs. Named and pre-restore
 * versions are always taken.
 */
export function isDuplicate(version: NewVersion, createdAt: number, options: AddVersionOptions, tip: TipRow | undefined): boolean {
  if (version.kind !== 'auto' || options.dedupeWithinMs === undefined || !tip) return false;
  return tip.seq >= version.seq || createdAt - tip.created_at < options.dedupeWithinMs;
}

/** What encoding the next version needs: the newest version, the newest full one and the versions after that (sizes of their data). */
export function chainTip(
  tip: TipRow | undefined,
  full: { id: number; bytes: number } | undefined,
  after: { n: number; bytes: number } | undefined,
): ChainTip | null {
  // no full version at all (only after damage): the next one is stored full
  if (!tip || !full || !after) return null;
  return { id: tip.id, stateVector: tip.state_vector, deleteSet: tip.delete_set, diffs: after.n, diffBytes: after.bytes, fullBytes: full.bytes };
}

/** The columns of an INSERT, in the order of `newRowValues` after (board_id, id). */
export const INSERT_COLUMNS =
  'board_id, id, created_at, kind, name, editors, added, changed, removed, shape_count, seq, base_id, state_vector, delete_set, data, bytes';

/** The values of a new row, in insert order after (board_id, id): shared by both INSERT statements. */
export function newRowValues(
  version: NewVersion,
  createdAt: number,
  enc: EncodedVersion,
): unknown[] {
  const { kind, name, editors, added, changed, removed, shapeCount, seq } = version;
  const { baseId, stateVector, deleteSet, data, bytes } = enc;
  return [createdAt, kind, name, JSON.stringify(editors), added, changed, removed, shapeCount, seq, baseId, stateVector, deleteSet, data, bytes];
}

/** The metadata of a row just inserted with `newRowValues`. */
export function insertedMeta(id: number, version: NewVersion, createdAt: number, bytes: number): VersionMeta {
  const { kind, name, editors, added, changed, removed, shapeCount } = version;
  return { id, createdAt, kind, name, editors: [...editors], added, changed, removed, shapeCount, bytes, checkpoint: false };
}
