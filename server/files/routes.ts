/**
 * HTTP routes for files (the contract: lib/files/file-contract.ts):
 *
 *   PUT  /files/<boardId>/<fileId>                   editor token; the raw bytes; 201 | 200 FileInfo
 *   HEAD /files/<boardId>/<fileId>[?size=256|1024]   viewer or editor token
 *   GET  /files/<boardId>/<fileId>[?size=256|1024][&download=1]
 *   OPTIONS (CORS preflight for ALLOWED_ORIGINS)
 *
 * The path of an upload: rate limit (per client address) -> token (Authorization header only; the
 * WebSocket's board token) -> Content-Length against MAX_FILE_BYTES -> body streamed to a temporary
 * file (hashed, counted, 413 at the first byte too many) -> SHA-256 must equal the id -> type
 * sniffed from the bytes -> already stored? add the reference -> else header dimensions vs
 * MAX_IMAGE_PIXELS, decode + variants (queued, two at a time) -> stored with the board's
 * reference under its quota. Every refusal is logged and counted
 * (commonboard_file_refusals_total{code}); anything unexpected is one request's 500.
 */
import { rm } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { fileErrorText, isFileId, type FileId, type FileInfo, type FileVariantSize } from '../../lib/files/file-contract';
import type { BoardAuth } from '../auth/board-auth';
import { CloseCode } from '../../lib/protocol/close-codes';
import type { Config } from '../config';
import { normalizeOrigin } from '../limits/admission';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { boardIdParam, HttpError } from '../transport/api-common';
import { ClientGone, FileError } from './errors';
import { isSvg, processRaster, processSvg, type ImageOptions } from './image';
import { JobQueue, UploadRateLimiter } from './limits';
import { serveFile } from './serve';
import { MAX_SVG_BYTES, sniffType } from './sniff';
import type { FileStore, StagedForm } from './store';
import { receiveUpload } from './upload';

const ROUTE = /^\/files\/([^/]+)\/([^/]+)$/;
/** Image jobs (sharp decodes) at once, across all uploads. */
const IMAGE_CONCURRENCY = 2;
/** After a 413, the rest of a body is read and dropped for at most this long, then the socket closes. */
const DRAIN_MS = 2_000;

type FilesConfig = Pick<Config, 'maxFileBytes' | 'boardFilesMaxBytes' | 'maxImagePixels' | 'fileUploadsPerMinute' | 'allowedOrigins'>;

export interface FilesDeps {
  store: FileStore;
  auth: Pick<BoardAuth, 'authorize'>;
  config: FilesConfig;
  /** Temporary files: on the same file system as the stored bytes (renames must be atomic). */
  tmpDir: string;
  log: Logger;
  metrics: Metrics | null;
}

const query = z
  .object({
    size: z.enum(['256', '1024']).transform((s) => Number(s) as FileVariantSize).optional(),
    download: z.literal('1').optional(),
  })
  .strict();

function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m ? m[1] : null;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json), 'Cache-Control': 'no-store' });
  res.end(json);
}

export function createFilesHandler(deps: FilesDeps) {
  const { store, auth, config, log, metrics } = deps;
  const origins = config.allowedOrigins ? new Set(config.allowedOrigins.map(normalizeOrigin)) : null;
  const rate = new UploadRateLimiter(config.fileUploadsPerMinute);
  const image: ImageOptions = { maxPixels: config.maxImagePixels, tmpDir: deps.tmpDir, queue: new JobQueue(IMAGE_CONCURRENCY) };

  /** CORS headers for an allowed browser origin; a refused origin is a 403. */
  function corsHeaders(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (origin === undefined) return {}; // not a browser: nothing to allow
    if (origins && !origins.has(normalizeOrigin(origin))) throw new FileError('forbidden', 'origin not allowed');
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Expose-Headers': 'ETag, Content-Length, Content-Range, Content-Disposition, Retry-After',
      Vary: 'Origin',
    };
  }

  async function authorize(req: IncomingMessage, boardId: string, needEditor: boolean): Promise<void> {
    const result = await auth.authorize(boardId, bearer(req));
    if (!result.ok) {
      if (result.code === CloseCode.BoardDeleted) throw new FileError('not-found', 'board deleted');
      if (result.code === CloseCode.Forbidden) throw new FileError('forbidden', result.reason);
      throw new FileError('unauthorized', result.reason, { 'WWW-Authenticate': 'Bearer' });
    }
    if (needEditor && result.grant.role !== 'editor') throw new FileError('forbidden', 'viewers cannot upload');
  }

  async function upload(req: IncomingMessage, boardId: string, fileId: FileId): Promise<{ status: number; info: FileInfo }> {
    const retryAfter = rate.take(req.socket.remoteAddress ?? 'unknown');
    if (retryAfter > 0) throw new FileError('rate-limited', 'too many uploads', { 'Retry-After': String(retryAfter) });
    await authorize(req, boardId, true);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > config.maxFileBytes) throw new FileError('too-large', `Content-Length ${declared} exceeds ${config.maxFileBytes}`);
    const existing = await store.get(boardId, fileId);
    if (!existing && Number.isFinite(declared) && (await store.boardBytes(boardId)) + declared > config.boardFilesMaxBytes) {
      throw new FileError('board-full', 'the board has no room for this file');
    }
    const received = await receiveUpload(req, { tmpDir: deps.tmpDir, maxBytes: config.maxFileBytes, onBytes: (n) => metrics?.fileBytesIn(n) });
    const staged: StagedForm[] = [{ form: 'original', path: received.path, bytes: received.bytes }];
    try {
      if (received.sha256 !== fileId) throw new FileError('hash-mismatch', 'the bytes do not hash to the file id');
      const type = sniffType(received.head);
      if (!type) throw new FileError('unsupported-type', 'not a PNG, JPEG, GIF, WebP or SVG image');
      const stored = existing ?? (await store.find(fileId));
      if (stored) {
        const outcome = await store.reference(boardId, fileId, config.boardFilesMaxBytes);
        if (outcome === 'board-full') throw new FileError('board-full');
        // null: collected meanwhile, so it is stored again below like a new file
        if (outcome) return { status: outcome === 'existed' ? 200 : 201, info: infoOf(stored) };
      }
      let processed;
      if (isSvg(type)) {
        if (received.bytes > MAX_SVG_BYTES) throw new FileError('too-large', `SVGs are limited to ${MAX_SVG_BYTES} bytes`);
        processed = await processSvg(await readFile(received.path), image);
      } else {
        processed = await processRaster(received.path, image);
      }
      staged.push(...processed.forms);
      const info: FileInfo = { id: fileId, type, bytes: received.bytes, width: processed.width, height: processed.height };
      const outcome = await store.put(boardId, { info, forms: staged }, config.boardFilesMaxBytes);
      if (outcome === 'board-full') throw new FileError('board-full');
      if (outcome === 'stored') metrics?.fileStored();
      log.info({ boardId, fileId, type, bytes: received.bytes, outcome }, 'file stored');
      return { status: outcome === 'existed' ? 200 : 201, info };
    } finally {
      // whatever was not renamed into the store (all of it, on a refusal)
      await Promise.all(staged.map((f) => rm(f.path, { force: true })));
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const match = ROUTE.exec(q < 0 ? url : url.slice(0, q));
    if (!match) throw new FileError('not-found', 'no such route');
    let boardId: string;
    try {
      boardId = boardIdParam(match[1]);
    } catch (err) {
      throw new FileError('bad-request', err instanceof HttpError ? err.message : 'invalid board id');
    }
    const fileId = match[2];
    if (!isFileId(fileId)) throw new FileError('bad-request', 'file id must be 64 lower-case hex characters');
    if (req.method === 'PUT') {
      if (q >= 0) throw new FileError('bad-request', 'PUT takes no query');
      const { status, info } = await upload(req, boardId, fileId);
      return sendJson(res, status, info, cors);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new FileError('bad-request', 'method not allowed', { Allow: 'GET, HEAD, PUT, OPTIONS' });
    }
    const params = query.safeParse(Object.fromEntries(new URLSearchParams(q < 0 ? '' : url.slice(q + 1))));
    if (!params.success) throw new FileError('bad-request', 'query may only be size=256|1024 and download=1');
    await authorize(req, boardId, false);
    const file = await store.get(boardId, fileId);
    if (!file) throw new FileError('not-found');
    await serveFile(req, res, store, file, { size: params.data.size, download: params.data.download === '1', headers: cors });
  }

  function refuse(req: IncomingMessage, res: ServerResponse, err: FileError, cors: Record<string, string>, boardId: string | undefined): void {
    metrics?.fileRefused(err.code);
    const entry = { code: err.code, reason: err.message, method: req.method, path: (req.url ?? '').split('?')[0], remote: req.socket.remoteAddress, boardId };
    if (err.code === 'server-error') log.error(entry, 'file request failed');
    else log.info(entry, 'file request refused');
    if (res.headersSent) return void res.destroy();
    const unread = req.method === 'PUT' && !req.complete;
    // the body was not (fully) read: answer, then drop what still comes for a moment and close
    if (unread) res.shouldKeepAlive = false;
    // an unexpected error's message may name paths or queries: the client gets the contract's words
    const message = err.code === 'server-error' ? fileErrorText('server-error') : err.message;
    sendJson(res, err.status, { error: err.code, message }, { ...cors, ...err.headers });
    if (unread) {
      req.resume();
      setTimeout(() => req.socket.destroy(), DRAIN_MS).unref();
    }
  }

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '/';
    if (!url.startsWith('/files/')) return false;
    let cors: Record<string, string> = {};
    void (async () => {
      try {
        cors = corsHeaders(req);
        if (req.method === 'OPTIONS') {
          res.writeHead(204, {
            ...cors,
            'Access-Control-Allow-Methods': 'GET, HEAD, PUT, OPTIONS',
            'Access-Control-Allow-Headers': 'Authorization, Content-Type, Range, If-None-Match',
            'Access-Control-Max-Age': '600',
          });
          return void res.end();
        }
        await route(req, res, cors);
      } catch (err) {
        if (err instanceof ClientGone) {
          log.info({ path: url.split('?')[0], reason: err.message }, 'file upload abandoned by the client');
          metrics?.fileRefused('bad-request');
          return void res.destroy();
        }
        const refusal = err instanceof FileError ? err : new FileError('server-error', err instanceof Error ? err.message : String(err));
        if (!(err instanceof FileError)) log.error({ err }, 'file request failed unexpectedly');
        refuse(req, res, refusal, cors, ROUTE.exec(url.split('?')[0])?.[1]);
      }
    })();
    return true;
  };
}

function infoOf(file: FileInfo): FileInfo {
  return { id: file.id, type: file.type, bytes: file.bytes, width: file.width, height: file.height };
}
