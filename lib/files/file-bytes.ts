/**
 * What the browser decides about a file's bytes before anything reaches the board: its type (sniffed
 * from the bytes, never the name or the clipboard's claim, as the server does), its id (SHA-256 hex,
 * file-contract.ts) and whether it is within the size limit. Pure: runs in the browser and in Node tests.
 */
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_IMAGE_PIXELS, type FileErrorCode, type FileId, type ImageType } from './file-contract';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

/**
 * An SVG document: optional BOM, XML declaration, comments and doctype, then an <svg> root.
 * Only the head is read: a polyglot whose first element is not <svg> is not an SVG.
 */
const SVG_HEAD = /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>\s*)?(?:<!--[\s\S]*?-->\s*)*<svg[\s>/]/i;

/** The image type of `bytes` by their signature, or null for anything else. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096));
  if (SVG_HEAD.test(head)) return 'image/svg+xml';
  return null;
}

/** SHA-256 of the bytes as lower-case hex: the file's id (the server recomputes and must agree). */
export async function fileIdOf(bytes: Uint8Array): Promise<FileId> {
  // a copy into a fresh ArrayBuffer: digest() takes no SharedArrayBuffer-backed views
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes.slice().buffer);
  let hex = '';
  for (const b of new Uint8Array(digest)) hex += b.toString(16).padStart(2, '0');
  return hex as FileId;
}

export type BytesCheck = { ok: true; type: ImageType } | { ok: false; code: FileErrorCode };

/**
 * The local refusals before any decoding (the same rules as the server's, so the user hears at
 * once, offline too): size, type by the bytes, and dimensions a raster header declares (a
 * decompression bomb is refused before the browser allocates its pixels).
 */
export function checkImageBytes(bytes: Uint8Array, maxFileBytes = DEFAULT_MAX_FILE_BYTES, maxPixels = DEFAULT_MAX_IMAGE_PIXELS): BytesCheck {
  if (bytes.length > maxFileBytes) return { ok: false, code: 'too-large' };
  if (bytes.length === 0) return { ok: false, code: 'bad-image' };
  const type = sniffImageType(bytes);
  if (!type) return { ok: false, code: 'unsupported-type' };
  const declared = headerImageSize(bytes, type);
  if (declared && declared.width * declared.height > maxPixels) return { ok: false, code: 'too-many-pixels' };
  return { ok: true, type };
}

/** Base64 of bytes (for the JSON board file and data: URLs), in chunks so big files do not overflow the stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/** Decodes base64, or null if it is not valid base64. */
export function base64ToBytes(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  try {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

const u16be = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const u16le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u24le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
const u32be = (b: Uint8Array, i: number) => ((b[i] << 24) >>> 0) + ((b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]);

/** Width and height of a JPEG from its first start-of-frame marker, or null. */
function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    // SOF0..SOF15, except DHT (c4), JPG (c8) and DAC (cc)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: u16be(b, i + 5), width: u16be(b, i + 7) };
    }
    i += 2 + u16be(b, i + 2);
  }
  return null;
}

/**
 * The pixel size a raster image declares in its header, read without decoding (so a decompression
 * bomb is refused before the browser allocates its pixels), or null if unknown (SVG, odd files:
 * the decode decides).
 */
export function headerImageSize(bytes: Uint8Array, type: ImageType): { width: number; height: number } | null {
  const b = bytes;
  switch (type) {
    case 'image/png':
      return b.length >= 24 && startsWith(b, ascii('IHDR'), 12) ? { width: u32be(b, 16), height: u32be(b, 20) } : null;
    case 'image/gif':
      return b.length >= 10 ? { width: u16le(b, 6), height: u16le(b, 8) } : null;
    case 'image/jpeg':
      return jpegSize(b);
    case 'image/webp':
      if (b.length >= 30 && startsWith(b, ascii('VP8 '), 12)) return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
      if (b.length >= 25 && startsWith(b, ascii('VP8L'), 12) && b[20] === 0x2f) {
        return { width: 1 + (((b[22] & 0x3f) << 8) | b[21]), height: 1 + (((b[24] & 0x0f) << 10) | (b[23] << 2) | ((b[22] & 0xc0) >> 6)) };
      }
      if (b.length >= 30 && startsWith(b, ascii('VP8X'), 12)) return { width: 1 + u24le(b, 24), height: 1 + u24le(b, 27) };
      return null;
    default:
      return null;
  }
}
