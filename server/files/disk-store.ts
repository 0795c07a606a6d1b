/**
 * The embedded file store: bytes as files under DATA_DIR/files/<first 2 hex of id>/<id> (forms:
 * `<id>.png`, `<id>.256.webp`, `<id>.1024.webp`), metadata in the boards' SQLite database (its own
 * connection; tables in schema.ts, created by SqliteStorage's migration 4).
 *
 * Order of a store: the forms (fsynced when written) are renamed into place, the directory is
 * fsynced, then one transaction records the file and the board's reference. A crash before the
 * commit leaves bytes without a row, which the start-up sweep removes, along with leftover
 * temporary files: a row never points at missing bytes. Stores and collections of one id take
 * the same lock, so gc() cannot unlink bytes an upload is about to record.
 */
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import type { FileId } from '../../lib/files/file-contract';
import { KeyedLock } from './limits';
import { fileRowValues, rowToFile, type ByteRange, type FileRow, type FileStore, type Form, type NewFile, type PutOutcome, type StoredFile } from './store';

const FILES_SCHEMA_VERSION = 4;

const SUFFIX: Record<Form, string> = { original: '', png: '.png', '256': '.256.webp', '1024': '.1024.webp' };
const COLUMNS = 'id, type, bytes, width, height, png_bytes, v256_bytes, v1024_bytes';

export class DiskFileStore implements FileStore {
  private readonly stmt;
  private readonly putTx;
  private readonly referenceTx;
  private readonly gcTx;
  private readonly lock = new KeyedLock();

  private constructor(
    private readonly db: Database.Database,
    private readonly root: string,
  ) {
    this.stmt = {
      boardFile: db.prepare<[string, string], FileRow>(
        `SELECT ${COLUMNS} FROM files WHERE id = ? AND EXISTS (SELECT 1 FROM board_files WHERE board_id = ? AND file_id = files.id)`,
      ),
      file: db.prepare<[string], FileRow>(`SELECT ${COLUMNS} FROM files WHERE id = ?`),
      boardBytes: db.prepare<[string], { n: number }>(
        'SELECT COALESCE(SUM(f.bytes), 0) AS n FROM board_files b JOIN files f ON f.id = b.file_id WHERE b.board_id = ?',
      ),
      hasRef: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM board_files WHERE board_id = ? AND file_id = ?'),
      insertFile: db.prepare(`INSERT OR IGNORE INTO files (${COLUMNS}, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertRef: db.prepare<[string, string, number]>('INSERT OR IGNORE INTO board_files (board_id, file_id, created) VALUES (?, ?, ?)'),
      unreferenced: db.prepare<[], { id: string }>('SELECT id FROM files WHERE NOT EXISTS (SELECT 1 FROM board_files WHERE file_id = files.id)'),
      deleteFile: db.prepare<[string, string]>('DELETE FROM files WHERE id = ? AND NOT EXISTS (SELECT 1 FROM board_files WHERE file_id = ?)'),
      allIds: db.prepare<[], { id: string }>('SELECT id FROM files'),
    };
    // quota and insert in one transaction: two uploads to one board cannot both fit the last bytes
    const refer = (boardId: string, fileId: string, bytes: number, quota: number): Exclude<PutOutcome, 'stored'> => {
      if (this.stmt.hasRef.get(boardId, fileId)) return 'existed';
      if (this.stmt.boardBytes.get(boardId)!.n + bytes > quota) return 'board-full';
      this.stmt.insertRef.run(boardId, fileId, Date.now());
      return 'referenced';
    };
    this.referenceTx = db.transaction((boardId: string, fileId: string, quota: number): Exclude<PutOutcome, 'stored'> | null => {
      const file = this.stmt.file.get(fileId);
      return file ? refer(boardId, fileId, Number(file.bytes), quota) : null;
    });
    this.putTx = db.transaction((boardId: string, file: NewFile, quota: number): PutOutcome => {
      if (this.stmt.file.get(file.info.id)) return refer(boardId, file.info.id, file.info.bytes, quota);
      if (this.stmt.boardBytes.get(boardId)!.n + file.info.bytes > quota) return 'board-full';
      this.stmt.insertFile.run(file.info.id, ...fileRowValues(file), Date.now());
      this.stmt.insertRef.run(boardId, file.info.id, Date.now());
      return 'stored';
    });
    this.gcTx = db.transaction((ids: string[]): string[] => ids.filter((id) => this.stmt.deleteFile.run(id, id).changes > 0));
  }

  /**
   * Opens the metadata tables in `dbFile` (SqliteStorage must have migrated it) and the byte tree
   * under `root`; removes leftovers of a crash (temporary files, bytes without a row).
   */
  static async open(dbFile: string, root: string, options: { synchronous?: 'full' | 'normal' } = {}): Promise<DiskFileStore> {
    const db = new Database(dbFile);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < FILES_SCHEMA_VERSION) {
      db.close();
      throw new Error(`database schema version ${version} has no file tables (needs ${FILES_SCHEMA_VERSION}): open SqliteStorage first`);
    }
    const store = new DiskFileStore(db, root);
    await store.sweep();
    return store;
  }

  /** Temporary files (uploads in flight, forms being made) live here, on the same file system. */
  get tmpDir(): string {
    return join(this.root, 'tmp');
  }

  private pathOf(id: string, form: Form): string {
    return join(this.root, id.slice(0, 2), `${id}${SUFFIX[form]}`);
  }

  async get(boardId: string, fileId: FileId): Promise<StoredFile | null> {
    const row = this.stmt.boardFile.get(fileId, boardId);
    return row ? rowToFile(row) : null;
  }

  async find(fileId: FileId): Promise<StoredFile | null> {
    const row = this.stmt.file.get(fileId);
    return row ? rowToFile(row) : null;
  }

  async boardBytes(boardId: string): Promise<number> {
    return this.stmt.boardBytes.get(boardId)!.n;
  }

  reference(boardId: string, fileId: FileId, quota: number): Promise<Exclude<PutOutcome, 'stored'> | null> {
    return this.lock.with(fileId, async () => this.referenceTx(boardId, fileId, quota));
  }

  put(boardId: string, file: NewFile, quota: number): Promise<PutOutcome> {
    return this.lock.with(file.info.id, async () => {
      if (this.stmt.file.get(file.info.id)) return this.putTx(boardId, file, quota);
      const dir = join(this.root, file.info.id.slice(0, 2));
      await mkdir(dir, { recursive: true, mode: 0o700 });
      for (const f of file.forms) await rename(f.path, this.pathOf(file.info.id, f.form));
      await syncDir(dir);
      const outcome = this.putTx(boardId, file, quota);
      // refused by the quota: the bytes we just placed belong to no row
      if (outcome === 'board-full') await this.unlinkForms(file.info.id);
      return outcome;
    });
  }

  async read(fileId: FileId, form: Form, range?: ByteRange): Promise<Readable> {
    // opened before the caller sends headers: a missing file is an error here, not a cut-off body
    const fh = await open(this.pathOf(fileId, form), 'r');
    return fh.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async gc(): Promise<number> {
    let removed = 0;
    for (const { id } of this.stmt.unreferenced.all()) {
      await this.lock.with(id, async () => {
        if (this.gcTx([id]).length === 0) return; // referenced again meanwhile
        await this.unlinkForms(id);
        removed++;
      });
    }
    return removed;
  }

  private async unlinkForms(id: string): Promise<void> {
    await Promise.all((Object.keys(SUFFIX) as Form[]).map((form) => rm(this.pathOf(id, form), { force: true })));
  }

  /** Start-up: empty tmp, and remove bytes no row describes (a crash between rename and commit). */
  private async sweep(): Promise<void> {
    await rm(this.tmpDir, { recursive: true, force: true });
    await mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
    const known = new Set(this.stmt.allIds.all().map((r) => r.id));
    for (const entry of await readdir(this.root, { withFileTypes: true })) {
      if (!entry.isDirectory() || !/^[0-9a-f]{2}$/.test(entry.name)) continue;
      const dir = join(this.root, entry.name);
      for (const name of await readdir(dir)) {
        if (!known.has(name.split('.')[0])) await rm(join(dir, name), { force: true });
      }
    }
    await this.gc();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Makes renames into `dir` durable (the directory entry, not just the file's bytes). */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
