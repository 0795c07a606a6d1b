/**
 * The cluster's file store (DATABASE_URL): bytes and metadata in PostgreSQL, which every server
 * shares (servers have no common disk). Each form is split into CHUNK_BYTES rows of file_chunks, so
 * no single value is huge, an upload is written a chunk at a time from its temporary file, and a
 * range request reads only the rows it covers.
 *
 * A store is one transaction: the board's quota is checked under a per-board advisory lock (two
 * servers uploading to one board cannot both fit the last bytes), the file's rows and the board's
 * reference are inserted, and COMMIT makes it all visible at once (synchronous_commit=on, as for
 * boards). A file collected by gc() on another server while we add a reference fails the foreign
 * key and is retried once as a fresh store.
 */
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import type { FileId } from '../../lib/files/file-contract';
import { migrate } from '../persistence/postgres-migrations';
import { fileRowValues, rowToFile, type ByteRange, type FileRow, type FileStore, type Form, type NewFile, type PutOutcome, type StoredFile } from './store';

export const CHUNK_BYTES = 1024 * 1024;
const COLUMNS = 'id, type, bytes, width, height, png_bytes, v256_bytes, v1024_bytes';
/** Postgres error code of a foreign-key violation. */
const FK_VIOLATION = '23503';

export class PostgresFileStore implements FileStore {
  private constructor(private readonly pool: pg.Pool) {}

  /** Connects (a small pool of its own: uploads must not starve the boards' pool) and migrates. */
  static async open(connectionString: string, options: { max?: number } = {}): Promise<PostgresFileStore> {
    const pool = new pg.Pool({ connectionString, max: options.max ?? 4, connectionTimeoutMillis: 5_000, options: '-c synchronous_commit=on' });
    // an idle client losing its connection must not crash the process; the next query reconnects
    pool.on('error', () => {});
    try {
      const client = await pool.connect();
      try {
        await migrate(client);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresFileStore(pool);
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  }

  async get(boardId: string, fileId: FileId): Promise<StoredFile | null> {
    const r = await this.pool.query<FileRow>(
      `SELECT ${COLUMNS} FROM files WHERE id = $1 AND EXISTS (SELECT 1 FROM board_files WHERE board_id = $2 AND file_id = files.id)`,
      [fileId, boardId],
    );
    return r.rows[0] ? rowToFile(r.rows[0]) : null;
  }

  async find(fileId: FileId): Promise<StoredFile | null> {
    const r = await this.pool.query<FileRow>(`SELECT ${COLUMNS} FROM files WHERE id = $1`, [fileId]);
    return r.rows[0] ? rowToFile(r.rows[0]) : null;
  }

  async boardBytes(boardId: string): Promise<number> {
    return usedBytes(this.pool, boardId);
  }

  /** Locks the board's quota for this transaction; 'existed' / 'board-full' / null (go ahead). */
  private async claim(c: pg.PoolClient, boardId: string, fileId: string, bytes: number, quota: number): Promise<'existed' | 'board-full' | null> {
    await c.query("SELECT pg_advisory_xact_lock(hashtextextended('files:' || $1, 0))", [boardId]);
    const had = await c.query('SELECT 1 FROM board_files WHERE board_id = $1 AND file_id = $2', [boardId, fileId]);
    if (had.rowCount) return 'existed';
    if ((await usedBytes(c, boardId)) + bytes > quota) return 'board-full';
    return null;
  }

  async reference(boardId: string, fileId: FileId, quota: number): Promise<Exclude<PutOutcome, 'stored'> | null> {
    try {
      return await this.tx(async (c) => {
        const file = await c.query<{ bytes: string }>('SELECT bytes FROM files WHERE id = $1 FOR KEY SHARE', [fileId]);
        if (!file.rows[0]) return null;
        const refused = await this.claim(c, boardId, fileId, Number(file.rows[0].bytes), quota);
        if (refused) return refused;
        await c.query('INSERT INTO board_files (board_id, file_id, created) VALUES ($1, $2, $3)', [boardId, fileId, Date.now()]);
        return 'referenced' as const;
      });
    } catch (err) {
      if ((err as { code?: string }).code === FK_VIOLATION) return null;
      throw err;
    }
  }

  async put(boardId: string, file: NewFile, quota: number): Promise<PutOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.putOnce(boardId, file, quota);
      } catch (err) {
        // collected by another server's gc() between our check and our insert: once more
        if ((err as { code?: string }).code !== FK_VIOLATION || attempt > 0) throw err;
      }
    }
  }

  private putOnce(boardId: string, file: NewFile, quota: number): Promise<PutOutcome> {
    const id = file.info.id;
    return this.tx(async (c) => {
      const refused = await this.claim(c, boardId, id, file.info.bytes, quota);
      if (refused) return refused;
      const inserted = await c.query(`INSERT INTO files (${COLUMNS}, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`, [
        id,
        ...fileRowValues(file),
        Date.now(),
      ]);
      if (inserted.rowCount) for (const form of file.forms) await insertChunks(c, id, form.form, form.path);
      await c.query('INSERT INTO board_files (board_id, file_id, created) VALUES ($1, $2, $3)', [boardId, id, Date.now()]);
      return inserted.rowCount ? 'stored' : 'referenced';
    });
  }

  async read(fileId: FileId, form: Form, range?: ByteRange): Promise<Readable> {
    const count = await this.pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM file_chunks WHERE file_id = $1 AND form = $2', [fileId, form]);
    if (!count.rows[0]?.n) throw new Error(`file ${fileId} has no stored ${form}`);
    const pool = this.pool;
    const start = range?.start ?? 0;
    const end = range?.end ?? Number.MAX_SAFE_INTEGER;
    // one chunk row in memory at a time; a slow reader is not read ahead of (Readable.from pulls)
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let n = Math.floor(start / CHUNK_BYTES); n * CHUNK_BYTES <= end; n++) {
        const r = await pool.query<{ data: Buffer }>('SELECT data FROM file_chunks WHERE file_id = $1 AND form = $2 AND n = $3', [fileId, form, n]);
        const data = r.rows[0]?.data;
        if (!data) return;
        const from = Math.max(0, start - n * CHUNK_BYTES);
        const to = Math.min(data.byteLength, end - n * CHUNK_BYTES + 1);
        yield data.subarray(from, to);
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  async gc(): Promise<number> {
    // chunks go with their file (ON DELETE CASCADE); a reference added meanwhile blocks on the row lock
    const r = await this.pool.query('DELETE FROM files WHERE NOT EXISTS (SELECT 1 FROM board_files WHERE file_id = files.id)');
    return r.rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

async function usedBytes(q: pg.Pool | pg.PoolClient, boardId: string): Promise<number> {
  const r = await q.query<{ n: string }>(
    'SELECT COALESCE(SUM(f.bytes), 0) AS n FROM board_files b JOIN files f ON f.id = b.file_id WHERE b.board_id = $1',
    [boardId],
  );
  return Number(r.rows[0].n);
}

/** Copies a staged form into chunk rows, reading CHUNK_BYTES from disk at a time. */
async function insertChunks(c: pg.PoolClient, fileId: string, form: Form, path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let n = 0; ; n++) {
      let filled = 0;
      while (filled < CHUNK_BYTES) {
        const { bytesRead } = await fh.read(buffer, filled, CHUNK_BYTES - filled, null);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled === 0 && n > 0) return;
      await c.query('INSERT INTO file_chunks (file_id, form, n, data) VALUES ($1, $2, $3, $4)', [fileId, form, n, buffer.subarray(0, filled)]);
      if (filled < CHUNK_BYTES) return;
    }
  } finally {
    await fh.close();
  }
}
