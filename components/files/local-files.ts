/**
 * This browser's copy of image files, in IndexedDB (database `commonboard-files`):
 *   files    fileId -> { type, blob }       the bytes, so an image pasted offline shows at once and
 *                                           after a reload, before (or without) any upload
 *   uploads  "<boardId> <fileId>" -> { boardId, fileId }   uploads not yet confirmed by the server,
 *                                           so they resume after a reload
 * Files are content-addressed, so one copy serves every board that references it. Every call
 * resolves (never throws): without IndexedDB (private mode, quota) images still work from the server.
 */
import type { FileId, ImageType } from '@/lib/files/file-contract';

const DB_NAME = 'commonboard-files';
const FILES = 'files';
const UPLOADS = 'uploads';

let opening: Promise<IDBDatabase | null> | null = null;

function open(): Promise<IDBDatabase | null> {
  if (typeof indexedDB === 'undefined') return Promise.resolve(null);
  opening ??= new Promise((resolve) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(FILES)) db.createObjectStore(FILES);
      if (!db.objectStoreNames.contains(UPLOADS)) db.createObjectStore(UPLOADS);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => resolve(null);
    req.onblocked = () => resolve(null);
  });
  return opening;
}

function request<T>(store: string, mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest): Promise<T | null> {
  return open().then(
    (db) =>
      new Promise<T | null>((resolve) => {
        if (!db) return resolve(null);
        try {
          const tx = db.transaction(store, mode);
          const req = run(tx.objectStore(store));
          tx.oncomplete = () => resolve((req.result as T | undefined) ?? null);
          tx.onerror = () => resolve(null);
          tx.onabort = () => resolve(null);
        } catch {
          resolve(null);
        }
      }),
  );
}

export type LocalFile = { type: ImageType; blob: Blob };

export function putLocalFile(fileId: FileId, file: LocalFile): Promise<boolean> {
  return request<IDBValidKey>(FILES, 'readwrite', (s) => s.put({ type: file.type, blob: file.blob }, fileId)).then((key) => key !== null);
}

export async function getLocalFile(fileId: FileId): Promise<LocalFile | null> {
  const value = await request<{ type?: unknown; blob?: unknown }>(FILES, 'readonly', (s) => s.get(fileId));
  if (!value || !(value.blob instanceof Blob) || typeof value.type !== 'string') return null;
  return { type: value.type as ImageType, blob: value.blob };
}

const uploadKey = (boardId: string, fileId: FileId) => `${boardId} ${fileId}`;

export function addPendingUpload(boardId: string, fileId: FileId): Promise<unknown> {
  return request(UPLOADS, 'readwrite', (s) => s.put({ boardId, fileId }, uploadKey(boardId, fileId)));
}

export function removePendingUpload(boardId: string, fileId: FileId): Promise<unknown> {
  return request(UPLOADS, 'readwrite', (s) => s.delete(uploadKey(boardId, fileId)));
}

/** File ids whose upload to this board was not confirmed yet (from an earlier page too). */
export async function listPendingUploads(boardId: string): Promise<FileId[]> {
  // keys are "<boardId> <fileId>": the range selects exactly this board's
  const range = typeof IDBKeyRange === 'undefined' ? undefined : IDBKeyRange.bound(`${boardId} `, `${boardId} \uffff`);
  const values = await request<{ fileId?: unknown }[]>(UPLOADS, 'readonly', (s) => s.getAll(range));
  return (values ?? []).map((v) => v.fileId).filter((id): id is FileId => typeof id === 'string' && /^[0-9a-f]{64}$/.test(id));
}
