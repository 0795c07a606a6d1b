/**
 * PostgreSQL schema, versioned. Every server runs `migrate` at start; several servers starting at
 * once serialize on one advisory lock, so each step runs exactly once, in its own transaction with
 * the row that records it (a crash mid-step leaves the previous version, not half a schema).
 *
 * Layout (same ideas as SQLite: append log + snapshots, plus one row per board):
 * - boards(id, last_seq): the per-board counter. Appending does `last_seq = last_seq + n` on this
 *   row, which takes its row lock, so concurrent servers get disjoint seq ranges and a board's
 *   seqs become visible in order (the next writer waits for the previous commit).
 * - updates(board_id, seq, data): the log; snapshots(board_id, seq_upto, state) replace seq <= seq_upto.
 * - board_links(board_id, kind, key, version): share links, as in SQLite.
 * - versions(board_id, id, …, base_id, state_vector, data): version history (postgres-versions.ts);
 *   board_meta(board_id, last_version_id, checkpoint_version_id, deleted_at): the version counter,
 *   whose row is also the per-board lock of version writes, the checkpoint and the trash mark.
 * - files, file_chunks, board_files: images on boards (server/files/schema.ts).
 */
import type { PoolClient } from 'pg';
import { PG_FILES_SCHEMA } from '../files/schema';

export const PG_SCHEMA_VERSION = 3;

/** Any constant shared by all Commonboard servers: the key of the migration advisory lock. */
const MIGRATION_LOCK_KEY = 0x636f6d6d; // "comm"

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE boards (
      id TEXT PRIMARY KEY,
      last_seq BIGINT NOT NULL DEFAULT 0,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE updates (
      board_id TEXT NOT NULL,
      seq BIGINT NOT NULL,
      data BYTEA NOT NULL,
      ts TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY (board_id, seq)
    );
    CREATE TABLE snapshots (
      board_id TEXT NOT NULL,
      seq_upto BIGINT NOT NULL,
      state BYTEA NOT NULL,
      ts TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY (board_id, seq_upto)
    );
    CREATE TABLE board_links (
      board_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('edit', 'view')),
      key TEXT NOT NULL,
      version INTEGER NOT NULL,
      ts TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY (board_id, kind)
    );
  `,
  // the (board_id, id) key lists a board's versions newest first (a backward index scan); data is
  // compressed already, so STORAGE EXTERNAL keeps TOAST from trying to compress it again
  2: `
    CREATE TABLE versions (
      board_id TEXT NOT NULL,
      id BIGINT NOT NULL,
      created_at BIGINT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('auto', 'named', 'pre-restore')),
      name TEXT,
      editors TEXT NOT NULL,
      added INTEGER NOT NULL,
      changed INTEGER NOT NULL,
      removed INTEGER NOT NULL,
      shape_count INTEGER NOT NULL,
      bytes INTEGER NOT NULL,
      seq BIGINT NOT NULL,
      base_id BIGINT,
      state_vector BYTEA NOT NULL,
      delete_set BYTEA,
      data BYTEA NOT NULL,
      PRIMARY KEY (board_id, id)
    );
    ALTER TABLE versions ALTER COLUMN data SET STORAGE EXTERNAL;
    CREATE TABLE board_meta (
      board_id TEXT PRIMARY KEY,
      last_version_id BIGINT NOT NULL DEFAULT 0,
      checkpoint_version_id BIGINT,
      deleted_at BIGINT
    );
    CREATE INDEX board_meta_trash ON board_meta (deleted_at) WHERE deleted_at IS NOT NULL;
  `,
  // files on boards, bytes included (server/files/postgres-store.ts)
  3: PG_FILES_SCHEMA,
};

/** Brings the database to PG_SCHEMA_VERSION; throws if it is newer than this server knows. */
export async function migrate(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS commonboard_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM commonboard_schema');
    const current = rows[0]?.v ?? 0;
    if (current > PG_SCHEMA_VERSION) {
      throw new Error(`database schema version ${current} is newer than this server (${PG_SCHEMA_VERSION})`);
    }
    for (let v = current + 1; v <= PG_SCHEMA_VERSION; v++) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATIONS[v]);
        await client.query('INSERT INTO commonboard_schema (version) VALUES ($1)', [v]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}
