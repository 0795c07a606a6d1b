/**
 * Tables of the file stores, as migrations of the databases the boards already use
 * (server/persistence/sqlite.ts step 4, postgres-migrations.ts step 3). Imports nothing, so the
 * persistence layer can include it without depending on the rest of server/files.
 *
 * files: one row per stored file (id = SHA-256 of the uploaded bytes) with the byte length of each
 * form it is served in; board_files: which boards reference it (a board reads only those). A
 * board purged from the trash loses its board_files rows with its other rows; gc() then removes
 * files no board references.
 *
 * SQLite holds metadata only: the bytes are files under DATA_DIR/files (disk-store.ts), which keeps
 * the WAL and the database small, lets a GET stream a byte range straight from the file, and a
 * 25 MB upload never passes through SQLite's page cache. Postgres holds the bytes too (several
 * servers share it and have no shared disk), in 1 MiB rows of file_chunks.
 */
export const SQLITE_FILES_SCHEMA = `
  CREATE TABLE files (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    png_bytes INTEGER,
    v256_bytes INTEGER,
    v1024_bytes INTEGER,
    created INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE board_files (
    board_id TEXT NOT NULL,
    file_id TEXT NOT NULL,
    created INTEGER NOT NULL,
    PRIMARY KEY (board_id, file_id)
  ) WITHOUT ROWID;
  CREATE INDEX board_files_file ON board_files (file_id);
`;

/** Chunk rows are stored EXTERNAL: images are compressed already, TOAST must not try again. */
export const PG_FILES_SCHEMA = `
  CREATE TABLE files (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    png_bytes BIGINT,
    v256_bytes BIGINT,
    v1024_bytes BIGINT,
    created BIGINT NOT NULL
  );
  CREATE TABLE file_chunks (
    file_id TEXT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    form TEXT NOT NULL,
    n INTEGER NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (file_id, form, n)
  );
  ALTER TABLE file_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
  CREATE TABLE board_files (
    board_id TEXT NOT NULL,
    file_id TEXT NOT NULL REFERENCES files (id),
    created BIGINT NOT NULL,
    PRIMARY KEY (board_id, file_id)
  );
  CREATE INDEX board_files_file ON board_files (file_id);
`;
