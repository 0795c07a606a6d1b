/**
 * Files on a board (images today): the contract between the browser (components/files) and the
 * sync server (server/files). Kept here so both sides import the same names, limits and shapes.
 *
 * A file's id is the SHA-256 (lower-case hex) of the bytes the user gave us. The browser computes it
 * before uploading, so an image pasted offline is already in the board document under its final id;
 * the server recomputes it while streaming and refuses a mismatch. Same bytes -> same id -> stored
 * once. The board document holds only the id, type, size and dimensions (never bytes).
 *
 * HTTP on the sync server's port (same origin as the HTTP fallback; CORS for ALLOWED_ORIGINS):
 *   PUT  /files/<boardId>/<fileId>                 body: the raw bytes. Editor token.
 *        201 (stored) or 200 (this board already had it) -> FileInfo JSON
 *   HEAD /files/<boardId>/<fileId>[?size=256|1024]  200 if the board references it, else 404
 *   GET  /files/<boardId>/<fileId>[?size=256|1024]  viewer or editor token. The bytes of the stored
 *        form (SVG is served rasterized as PNG), or a downscaled WebP for `size` (the original when
 *        the image is already that small). ETag, `Cache-Control: private, max-age=31536000, immutable`,
 *        Range requests (206/416), `?download=1` adds Content-Disposition: attachment.
 * Every call: `Authorization: Bearer <board token>` (the token the WebSocket uses). A token is never
 * put in a URL here: URLs end up in logs and caches.
 * Errors: JSON `{ error: FileErrorCode, message }` with the status in FILE_ERROR_STATUS.
 */
export const FILE_ID_PATTERN = /^[0-9a-f]{64}$/;
export type FileId = string & { readonly __brand: 'FileId' };

export function isFileId(value: unknown): value is FileId {
  return typeof value === 'string' && FILE_ID_PATTERN.test(value);
}

/** Types accepted on upload, decided by sniffing the bytes (never by name or Content-Type). */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** Downscaled variants the server makes (longest side, px). Absent size = the full image. */
export const FILE_VARIANT_SIZES = [256, 1024] as const;
export type FileVariantSize = (typeof FILE_VARIANT_SIZES)[number];

/** What an upload answers, and what the browser copies into the image shape. */
export type FileInfo = {
  id: FileId;
  /** The type of the uploaded bytes as sniffed (image/svg+xml for an SVG, even though it is served as PNG). */
  type: ImageType;
  /** Size of the uploaded bytes. */
  bytes: number;
  /** Pixel size of the full image as served (an SVG: of its rasterization). */
  width: number;
  height: number;
};

export const FILE_ERROR_STATUS = {
  'bad-request': 400,
  'hash-mismatch': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'too-large': 413,
  'unsupported-type': 415,
  'bad-image': 422,
  'too-many-pixels': 422,
  'rate-limited': 429,
  'board-full': 507,
  'server-error': 500,
} as const;
export type FileErrorCode = keyof typeof FILE_ERROR_STATUS;

/** Defaults of the server's limits (README: MAX_FILE_BYTES, BOARD_FILES_MAX_BYTES, MAX_IMAGE_PIXELS, FILE_UPLOADS_PER_MINUTE). */
export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;
export const DEFAULT_BOARD_FILES_MAX_BYTES = 1024 * 1024 * 1024;
/** 100 megapixels: a 10,000 x 10,000 image decodes to 400 MB of RGBA; more is refused as a bomb. */
export const DEFAULT_MAX_IMAGE_PIXELS = 100_000_000;
/** Uploads per client address per minute (FILE_UPLOADS_PER_MINUTE); more answer 429 with Retry-After. */
export const DEFAULT_FILE_UPLOADS_PER_MINUTE = 120;

/** Words for the user, per refusal (the shape and the toast show these). */
export function fileErrorText(code: FileErrorCode, maxFileBytes = DEFAULT_MAX_FILE_BYTES): string {
  switch (code) {
    case 'too-large':
      return `The file is larger than ${Math.round(maxFileBytes / 1024 / 1024)} MB.`;
    case 'board-full':
      return 'This board has no room left for more files.';
    case 'unsupported-type':
      return 'Only PNG, JPEG, GIF, WebP and SVG images can be added.';
    case 'bad-image':
      return 'The image is damaged or incomplete and could not be read.';
    case 'too-many-pixels':
      return 'The image has too many pixels to open safely.';
    case 'hash-mismatch':
      return 'The upload was corrupted on the way; try again.';
    case 'forbidden':
      return 'You can view this board but not add files to it.';
    case 'unauthorized':
      return 'Your access to this board has expired; reload the page.';
    case 'rate-limited':
      return 'Too many uploads at once; retrying shortly.';
    case 'not-found':
      return 'The file is not on this board.';
    default:
      return 'The upload failed; try again.';
  }
}

/** The sync server's HTTP origin+path prefix from its WebSocket URL (ws -> http, wss -> https). */
export function syncHttpBase(syncWsUrl: string): string {
  return syncWsUrl.replace(/^ws(s?):/i, 'http$1:').replace(/\/+$/, '');
}

export function fileUrl(httpBase: string, boardId: string, fileId: FileId, size?: FileVariantSize): string {
  const path = `${httpBase}/files/${encodeURIComponent(boardId)}/${fileId}`;
  return size ? `${path}?size=${size}` : path;
}

/**
 * The smallest variant that stays sharp for an image drawn `screenPx` device pixels wide on its
 * longest side, or undefined for the full image.
 */
export function pickVariant(screenPx: number, naturalLongest: number): FileVariantSize | undefined {
  for (const size of FILE_VARIANT_SIZES) {
    if (size < naturalLongest && screenPx <= size) return size;
  }
  return undefined;
}
