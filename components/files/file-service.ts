/**
 * Images on the open board, browser side (issue 17; the contract is lib/files/file-contract.ts).
 *
 * Adding (paste, drop, the Image button, import): read the bytes, sniff the type, refuse what the
 * server would refuse (in words, at once, offline too), hash -> FileId, decode once for the natural
 * size, keep the bytes in IndexedDB (local-files.ts), write the shapes through lib/board's addImages
 * in one editor.run (one undo step), then queue the uploads (upload-queue.ts). The shape is in the
 * document under the file's final id before any upload, so an offline paste syncs like any edit and
 * its bytes follow when the server is reachable.
 *
 * Showing: the painter asks the ImageCache (image-cache.ts) for a bitmap; its loader reads the local
 * copy first, else GETs the variant from the sync server with the board token.
 */
import { addImages, type ImageShape, type NewImage, type ShapeId, type Vec } from '@/lib/board';
import type { ImageView } from '../canvas/shape-painter';
import { base64ToBytes, bytesToBase64, checkImageBytes, fileIdOf } from '@/lib/files/file-bytes';
import {
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_IMAGE_PIXELS,
  fileErrorText,
  fileUrl,
  syncHttpBase,
  type FileErrorCode,
  type FileId,
  type FileVariantSize,
  type ImageType,
} from '@/lib/files/file-contract';
import { screenToBoard } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import type { Editor } from '../editor/types';
import { getBoardToken, getSyncWsUrl } from '../session/board-session';
import { showToast } from '../ui/toast';
import { useFileStore } from './file-store';
import { ImageCache, type LoadResult } from './image-cache';
import { addPendingUpload, getLocalFile, listPendingUploads, putLocalFile, removePendingUpload, type LocalFile } from './local-files';
import { UploadQueue } from './upload-queue';

/** Decodes an image blob, optionally scaled so its longest side is `longest` px. */
export async function decodeImage(blob: Blob, type: ImageType, longest?: number): Promise<ImageBitmap> {
  if (type === 'image/svg+xml') {
    // createImageBitmap does not take SVG blobs: decode through an <img> (never in the DOM; an
    // SVG in <img> runs no script and loads nothing external)
    const url = URL.createObjectURL(blob);
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      const w = img.naturalWidth || 300;
      const h = img.naturalHeight || 150;
      const scale = longest ? Math.min(1, longest / Math.max(w, h)) : 1;
      return await createImageBitmap(img, { resizeWidth: Math.max(1, Math.round(w * scale)), resizeHeight: Math.max(1, Math.round(h * scale)) });
    } finally {
      URL.revokeObjectURL(url);
    }
  }
  if (!longest) return createImageBitmap(blob);
  const full = await createImageBitmap(blob);
  const scale = longest / Math.max(full.width, full.height);
  if (scale >= 1) return full;
  try {
    return await createImageBitmap(full, { resizeWidth: Math.max(1, Math.round(full.width * scale)), resizeHeight: Math.max(1, Math.round(full.height * scale)), resizeQuality: 'high' });
  } finally {
    full.close();
  }
}

export type IngestedImage = { fileId: FileId; type: ImageType; bytes: Uint8Array; width: number; height: number; bitmap: ImageBitmap };
export type IngestResult = { ok: true; image: IngestedImage } | { ok: false; code: FileErrorCode };

/** Checks and decodes one file's bytes (type by sniffing, size limit, decodable, pixel limit). */
export async function ingestBytes(bytes: Uint8Array): Promise<IngestResult> {
  const check = checkImageBytes(bytes);
  if (!check.ok) return check;
  const fileId = await fileIdOf(bytes);
  let bitmap: ImageBitmap;
  try {
    bitmap = await decodeImage(new Blob([bytes.slice().buffer], { type: check.type }), check.type);
  } catch {
    return { ok: false, code: 'bad-image' };
  }
  if (bitmap.width * bitmap.height > DEFAULT_MAX_IMAGE_PIXELS) {
    bitmap.close();
    return { ok: false, code: 'too-many-pixels' };
  }
  return { ok: true, image: { fileId, type: check.type, bytes, width: bitmap.width, height: bitmap.height, bitmap } };
}

/** Asks the mounted canvas for a frame (set by board-canvas.tsx; the canvas may mount before the service). */
let redrawHook: (() => void) | null = null;
const redraw = () => redrawHook?.();

export function setImageRedraw(fn: (() => void) | null): void {
  redrawHook = fn;
}

/** The painter's view of an image (shape-painter.ts ImageSource): O(1), no allocation beyond the result. */
export function imageView(s: ImageShape, screenPx: number): ImageView {
  const svc = service;
  const bitmap = svc ? svc.cache.lookup(s.fileId, Math.max(s.naturalWidth, s.naturalHeight), screenPx) : null;
  return { bitmap, failed: useFileStore.getState().uploads[s.fileId]?.state === 'failed' };
}

class FileService {
  readonly cache: ImageCache;
  readonly queue: UploadQueue;
  constructor(readonly boardId: string) {
    this.cache = new ImageCache((id, variant) => this.load(id, variant), () => redraw());
    this.queue = new UploadQueue({
      boardId,
      fetch: (url, init) => fetch(url, init),
      token: getBoardToken,
      httpBase: () => syncHttpBase(getSyncWsUrl() ?? ''),
      readBytes: (id) => this.localFile(id),
      onState: (fileId, state) => {
        useFileStore.getState().setUpload(fileId, state);
        if (state.state === 'done') void removePendingUpload(boardId, fileId);
        if (state.state === 'failed') {
          showToast(fileErrorText(state.code));
          void removePendingUpload(boardId, fileId); // a retry adds it back
        }
        redraw();
      },
    });
  }

  async resume(): Promise<void> {
    for (const id of await listPendingUploads(this.boardId)) this.queue.enqueue(id);
  }

  /**
   * Bytes IndexedDB could not keep (private mode, quota): held in memory for this page, so the upload
   * and the drawing still work; only the survival across a reload is lost.
   */
  private unstored = new Map<FileId, LocalFile>();

  localFile(fileId: FileId): Promise<LocalFile | null> {
    const held = this.unstored.get(fileId);
    return held ? Promise.resolve(held) : getLocalFile(fileId);
  }

  /** Keeps the bytes and queues the upload (the shape is written by the caller). */
  async keep(image: { fileId: FileId; type: ImageType; bytes: Uint8Array }): Promise<void> {
    const file = { type: image.type, blob: new Blob([image.bytes.slice().buffer], { type: image.type }) };
    if (!(await putLocalFile(image.fileId, file))) this.unstored.set(image.fileId, file);
    await addPendingUpload(this.boardId, image.fileId);
    this.queue.enqueue(image.fileId);
  }

  retry(fileId: FileId): void {
    void addPendingUpload(this.boardId, fileId);
    this.queue.enqueue(fileId);
  }

  dispose(): void {
    this.queue.dispose();
    this.cache.dispose();
    useFileStore.getState().reset();
  }

  private async load(fileId: FileId, variant: FileVariantSize | undefined): Promise<LoadResult> {
    const local = await this.localFile(fileId);
    if (local) return { bitmap: await decodeImage(local.blob, local.type, variant) };
    const token = getBoardToken();
    const ws = getSyncWsUrl();
    if (!token || !ws) return { missing: true };
    // the token goes in a header, never the URL (file-contract.ts)
    const res = await fetch(fileUrl(syncHttpBase(ws), this.boardId, fileId, variant), { headers: { Authorization: `Bearer ${token}` } });
    if (!res.ok) return { missing: true };
    const blob = await res.blob();
    // the server serves SVG rasterized (PNG) and variants as WebP: raster either way
    return { bitmap: await createImageBitmap(blob) };
  }
}

let service: FileService | null = null;

/** Starts the file service of a board (board.tsx, for the board's lifetime); returns its cleanup. */
export function startFileService(boardId: string): () => void {
  const s = new FileService(boardId);
  service = s;
  void s.resume();
  const online = () => s.queue.wake();
  window.addEventListener('online', online);
  return () => {
    window.removeEventListener('online', online);
    if (service === s) service = null;
    s.dispose();
  };
}

export function fileService(): FileService | null {
  return service;
}

function viewCentre(editor: Editor): Vec {
  const { width, height } = editor.viewport();
  return screenToBoard(useUiStore.getState().camera, { x: width / 2, y: height / 2 });
}

export type AddFilesResult = { ids: ShapeId[]; errors: string[] };

/**
 * Adds image files to the board at `at` (board units; default the view's centre): one undo step,
 * selected. Refused files are reported in words (toast) and listed in `errors`.
 */
export async function addImageFiles(editor: Editor, files: readonly Blob[], at?: Vec): Promise<AddFilesResult> {
  const s = service;
  if (!editor.editable() || !s) {
    const text = fileErrorText('forbidden');
    showToast(text);
    return { ids: [], errors: [text] };
  }
  const errors: string[] = [];
  const images: IngestedImage[] = [];
  for (const file of files) {
    const name = file instanceof File && file.name ? `${file.name}: ` : '';
    if (file.size > DEFAULT_MAX_FILE_BYTES) {
      errors.push(name + fileErrorText('too-large')); // not even read
      continue;
    }
    const result = await ingestBytes(new Uint8Array(await file.arrayBuffer()));
    if (result.ok) images.push(result.image);
    else errors.push(name + fileErrorText(result.code));
  }
  for (const e of errors) showToast(e);
  if (images.length === 0) return { ids: [], errors };
  for (const img of images) s.cache.put(img.fileId, undefined, img.bitmap);
  const inputs: NewImage[] = images.map((img) => ({ fileId: img.fileId, mime: img.type, bytes: img.bytes.length, naturalWidth: img.width, naturalHeight: img.height }));
  const ids = editor.run(() => addImages(editor.board, inputs, { center: at ?? viewCentre(editor), createdBy: editor.userName() }));
  useUiStore.getState().setTool('select');
  editor.select(ids);
  await Promise.all(images.map((img) => s.keep(img)));
  return { ids, errors };
}

/** Bytes of a file for export (local copy, else the server's original); null if unavailable. */
export async function fileBytes(fileId: FileId): Promise<{ type: ImageType; bytes: Uint8Array } | null> {
  const local = await (service ? service.localFile(fileId) : getLocalFile(fileId));
  if (local) return { type: local.type, bytes: new Uint8Array(await local.blob.arrayBuffer()) };
  const s = service;
  const token = getBoardToken();
  const ws = getSyncWsUrl();
  if (!s || !token || !ws) return null;
  try {
    const res = await fetch(fileUrl(syncHttpBase(ws), s.boardId, fileId), { headers: { Authorization: `Bearer ${token}` } });
    if (!res.ok) return null;
    const bytes = new Uint8Array(await res.arrayBuffer());
    const check = checkImageBytes(bytes, Number.MAX_SAFE_INTEGER);
    return check.ok ? { type: check.type, bytes } : null;
  } catch {
    return null;
  }
}

/** Data URLs of the given files (SVG export embeds them). Unavailable files are left out. */
export async function fileDataUrls(fileIds: readonly FileId[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const id of fileIds) {
    const f = await fileBytes(id);
    if (f) out.set(id, `data:${f.type};base64,${bytesToBase64(f.bytes)}`);
  }
  return out;
}

/**
 * Files embedded in an imported board file or a paste from another board: each is re-hashed (the
 * id in the file is not trusted), checked like a pasted file, kept locally and queued for upload.
 * Returns the ids that were stored; one whose bytes do not hash to its id is refused.
 */
export async function importEmbeddedFiles(files: Readonly<Record<string, unknown>>): Promise<{ stored: Set<string>; errors: string[] }> {
  const stored = new Set<string>();
  const errors: string[] = [];
  const s = service;
  for (const [id, value] of Object.entries(files)) {
    const data = typeof value === 'object' && value !== null ? (value as { data?: unknown }).data : undefined;
    const bytes = typeof data === 'string' ? base64ToBytes(data) : null;
    if (!bytes) {
      errors.push(`files.${id.slice(0, 12)}: not base64 data`);
      continue;
    }
    const check = checkImageBytes(bytes);
    if (!check.ok) {
      errors.push(`files.${id.slice(0, 12)}: ${fileErrorText(check.code)}`);
      continue;
    }
    if ((await fileIdOf(bytes)) !== id) {
      errors.push(`files.${id.slice(0, 12)}: the bytes do not match the file id`);
      continue;
    }
    if (s) await s.keep({ fileId: id as FileId, type: check.type, bytes });
    stored.add(id);
  }
  return { stored, errors };
}

/** A full-size bitmap for an export, not kept in the cache (the caller closes it). */
export async function exportBitmap(fileId: FileId): Promise<ImageBitmap | null> {
  const f = await fileBytes(fileId);
  if (!f) return null;
  try {
    return await decodeImage(new Blob([f.bytes.slice().buffer], { type: f.type }), f.type);
  } catch {
    return null;
  }
}

/**
 * Copy: keeps the copied images' bytes in this browser (IndexedDB is per origin, shared by boards),
 * so a paste on another board can upload them there. Runs after the copy event, in the background.
 */
export async function prefetchFiles(fileIds: readonly FileId[]): Promise<void> {
  for (const id of fileIds) {
    if (await getLocalFile(id)) continue;
    const f = await fileBytes(id);
    if (f) await putLocalFile(id, { type: f.type, blob: new Blob([f.bytes.slice().buffer], { type: f.type }) });
  }
}

/**
 * Paste: queues uploads to this board of the pasted images whose bytes this browser has (a paste
 * from another board); the server answers 200 at once for a file this board already has.
 */
export async function adoptFiles(fileIds: readonly FileId[]): Promise<void> {
  const s = service;
  if (!s) return;
  for (const id of fileIds) if (await getLocalFile(id)) s.retry(id);
}
