/**
 * Answering GET/HEAD for a stored file: the headers that make an uploaded byte sequence safe to
 * hand to a browser whatever else it contains (a polyglot), caching, and byte ranges.
 *
 * - The type is the sniffed one (or image/png / image/webp for the forms we made), with
 *   `X-Content-Type-Options: nosniff`, so a browser never reinterprets the bytes as HTML.
 * - `Content-Security-Policy: default-src 'none'; sandbox`: even opened as a document, nothing in it
 *   runs or loads. Content-Disposition names it `<id>.<ext>`; `?download=1` makes it an attachment.
 * - ETag = id + form (bytes of an id never change), `Cache-Control: private, max-age=31536000,
 *   immutable`: private because the URL alone is not the permission, the board's token is.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { FileVariantSize } from '../../lib/files/file-contract';
import { formBytes, formFor, formType, type ByteRange, type FileStore, type StoredFile } from './store';

const EXTENSION: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

export const CACHE_CONTROL = 'private, max-age=31536000, immutable';
export const FILE_CSP = "default-src 'none'; sandbox";

/** Parses a Range header against `length`: a range, 'unsatisfiable', or null (absent, or not one we serve). */
export function parseRange(header: string | undefined, length: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // several ranges or another unit: the whole body (allowed by RFC 9110)
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, length - suffix), end: length - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? length - 1 : Math.min(Number(m[2]), length - 1);
  if (start >= length || end < start) return 'unsatisfiable';
  return { start, end };
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

export async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  store: FileStore,
  file: StoredFile,
  options: { size?: FileVariantSize; download: boolean; headers: Record<string, string> },
): Promise<void> {
  const form = formFor(file, options.size);
  const length = formBytes(file, form);
  const type = formType(file, form);
  const etag = `"${file.id}${form === 'original' ? '' : `.${form}`}"`;
  const name = `${file.id.slice(0, 16)}${form === '256' || form === '1024' ? `-${form}` : ''}.${EXTENSION[type] ?? 'bin'}`;
  const headers: Record<string, string | number> = {
    ...options.headers,
    'Content-Type': type,
    ETag: etag,
    'Cache-Control': CACHE_CONTROL,
    'Accept-Ranges': 'bytes',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': FILE_CSP,
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Content-Disposition': `${options.download ? 'attachment' : 'inline'}; filename="${name}"`,
  };
  if (etagMatches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, { ...options.headers, ETag: etag, 'Cache-Control': CACHE_CONTROL });
    res.end();
    return;
  }
  const head = req.method === 'HEAD';
  const range = head ? null : parseRange(req.headers.range, length);
  if (range === 'unsatisfiable') {
    // 416 is not a refusal of the file (the contract's codes), just of this range
    const body = JSON.stringify({ error: 'bad-request', message: 'range not satisfiable' });
    res.writeHead(416, { ...options.headers, 'Content-Range': `bytes */${length}`, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  if (head) {
    res.writeHead(200, { ...headers, 'Content-Length': length });
    res.end();
    return;
  }
  const body = await store.read(file.id, form, range ?? undefined);
  if (range) {
    res.writeHead(206, { ...headers, 'Content-Length': range.end - range.start + 1, 'Content-Range': `bytes ${range.start}-${range.end}/${length}` });
  } else {
    res.writeHead(200, { ...headers, 'Content-Length': length });
  }
  // a client that goes away mid-body ends the pipeline (and closes the file); nothing to answer
  await pipeline(body, res).catch(() => body.destroy());
}
