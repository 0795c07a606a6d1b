/**
 * Where files live: the interface both stores implement (disk + SQLite: disk-store.ts; Postgres:
 * postgres-store.ts), and what they share.
 *
 * A file is stored once per id (SHA-256 of its bytes) with the forms it is served in; a board reads
 * a file only through its own reference (board_files), so knowing an id is not enough to read it.
 * Files no board references any more are removed by gc().
 */
import type { Readable } from 'node:stream';
import type { FileId, FileInfo, FileVariantSize, ImageType } from '../../lib/files/file-contract';

/**
 * Stored forms of a file: the uploaded bytes, the PNG rasterization of an SVG (the SVG itself is
 * never served), and the downscaled WebP variants.
 */
export const FORMS = ['original', 'png', '256', '1024'] as const;
export type Form = (typeof FORMS)[number];

export interface StoredFile extends FileInfo {
  /** Byte length of each stored form besides `original` (whose length is `bytes`). */
  forms: Partial<Record<Exclude<Form, 'original'>, number>>;
}

/** A form ready to be stored: a temporary file (fsynced by whoever made it) and its length. */
export interface StagedForm {
  form: Form;
  path: string;
  bytes: number;
}

export interface NewFile {
  info: FileInfo;
  /** Includes `original`. */
  forms: StagedForm[];
}

/** stored: new file; referenced: the file existed (another board), now this board has it too; existed: this board had it. */
export type PutOutcome = 'stored' | 'referenced' | 'existed' | 'board-full';

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

export interface FileStore {
  /** The file if `boardId` references it, else null. */
  get(boardId: string, fileId: FileId): Promise<StoredFile | null>;
  /** The file whichever board has it (dedupe across boards), else null. */
  find(fileId: FileId): Promise<StoredFile | null>;
  /** Total bytes of the files a board references (each file counted once). */
  boardBytes(boardId: string): Promise<number>;
  /**
   * Adds `boardId`'s reference to a file that is already stored (null: it is not, or it was
   * collected meanwhile), unless that would take the board past `quota` bytes.
   */
  reference(boardId: string, fileId: FileId, quota: number): Promise<Exclude<PutOutcome, 'stored'> | null>;
  /** Stores a new file and the board's reference in one step (quota checked inside it). */
  put(boardId: string, file: NewFile, quota: number): Promise<PutOutcome>;
  /** The bytes of one stored form (all, or `range`); rejects if the form is not stored. */
  read(fileId: FileId, form: Form, range?: ByteRange): Promise<Readable>;
  /** Removes files no board references; returns how many. */
  gc(): Promise<number>;
  close(): Promise<void>;
}

/** Which stored form answers a request for `size` (undefined = the full image). */
export function formFor(file: StoredFile, size: FileVariantSize | undefined): Form {
  if (size !== undefined && file.forms[size] !== undefined) return String(size) as Form;
  return file.type === 'image/svg+xml' ? 'png' : 'original';
}

export function formBytes(file: StoredFile, form: Form): number {
  return form === 'original' ? file.bytes : (file.forms[form] ?? 0);
}

export function formType(file: StoredFile, form: Form): ImageType | 'image/webp' | 'image/png' {
  if (form === 'original') return file.type;
  return form === 'png' ? 'image/png' : 'image/webp';
}

/** The metadata columns both stores keep (one row per file). */
export interface FileRow {
  id: string;
  type: string;
  bytes: number;
  width: number;
  height: number;
  png_bytes: number | null;
  v256_bytes: number | null;
  v1024_bytes: number | null;
}

export function rowToFile(row: FileRow): StoredFile {
  const forms: StoredFile['forms'] = {};
  if (row.png_bytes !== null) forms.png = Number(row.png_bytes);
  if (row.v256_bytes !== null) forms['256'] = Number(row.v256_bytes);
  if (row.v1024_bytes !== null) forms['1024'] = Number(row.v1024_bytes);
  return {
    id: row.id as FileId,
    type: row.type as ImageType,
    bytes: Number(row.bytes),
    width: row.width,
    height: row.height,
    forms,
  };
}

/** Column values for a new file's row, in FileRow order after id. */
export function fileRowValues(file: NewFile): [string, number, number, number, number | null, number | null, number | null] {
  const size = (form: Form) => file.forms.find((f) => f.form === form)?.bytes ?? null;
  const { info } = file;
  return [info.type, info.bytes, info.width, info.height, size('png'), size('256'), size('1024')];
}

