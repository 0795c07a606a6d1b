/**
 * What the browser decides about a file's bytes before anything reaches the board: its type (sniffed
 * from the bytes, never the name or the clipboard's claim, as the server does), its id (SHA-256 hex,
 * file-contract.ts) and whether it is within the size limit. Pure: runs in the browser and in Node tests.
 */
import { DEFAULT_MAX_FILE_BYTES, type FileErrorCode, type FileId, type ImageType } from './file-contract';

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

/** The local refusals (the same rules as the server's, so the user hears at once, offline too). */
export function checkImageBytes(bytes: Uint8Array, maxFileBytes = DEFAULT_MAX_FILE_BYTES): BytesCheck {
  if (bytes.length > maxFileBytes) return { ok: false, code: 'too-large' };
  if (bytes.length === 0) return { ok: false, code: 'bad-image' };
  const type = sniffImageType(bytes);
  return type ? { ok: true, type } : { ok: false, code: 'unsupported-type' };
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
