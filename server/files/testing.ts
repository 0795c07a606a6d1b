/**
 * Test and bench helpers for files: images made with sharp (small, or random noise that does not
 * compress), hostile ones (a PNG whose header claims 50,000 x 50,000), and a raw HTTP client that
 * still reads a response the server sends before it has read the whole body (a 413).
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import type { FileId } from '../../lib/files/file-contract';

export function sha256(bytes: Uint8Array): FileId {
  return createHash('sha256').update(bytes).digest('hex') as FileId;
}

export function solidPng(width: number, height: number, colour = '#3366cc'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();
}

/** Random pixels: JPEG/PNG of roughly the size the noise dictates, nothing for the encoder to squeeze. */
export function noiseImage(width: number, height: number, format: 'png' | 'jpeg'): Promise<Buffer> {
  const raw = randomBytes(width * height * 3);
  const img = sharp(raw, { raw: { width, height, channels: 3 } });
  return (format === 'png' ? img.png({ compressionLevel: 1 }) : img.jpeg({ quality: 95 })).toBuffer();
}

/** A valid small PNG whose IHDR (CRC fixed up) claims `width` x `height`: a decompression bomb's header. */
export async function bombPng(width = 50_000, height = 50_000): Promise<Buffer> {
  const png = Buffer.from(await solidPng(1, 1));
  // signature (8) + length (4) + "IHDR" (4), then width, height; the chunk's CRC covers type + data (17 bytes)
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Send the body in chunks without Content-Length. */
  chunked?: boolean;
}

/** One request; an error after the response arrived (EPIPE, reset while we were still sending) is ignored. */
export function httpRequest(url: string, options: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.body && !options.chunked) headers['Content-Length'] = options.body.byteLength;
    const req = request(url, { method: options.method ?? 'GET', headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (err) => reject(err));
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (!options.body) return void req.end();
    if (!options.chunked) return void req.end(options.body);
    const body = options.body;
    let at = 0;
    const next = (): void => {
      if (answered || req.destroyed) return;
      if (at >= body.byteLength) return void req.end();
      const part = body.subarray(at, at + 64 * 1024);
      at += part.byteLength;
      if (req.write(part)) setImmediate(next);
      else req.once('drain', next);
    };
    next();
  });
}

export function httpBase(port: number): string {
  return `http://127.0.0.1:${port}`;
}

export function uploadFile(base: string, boardId: string, bytes: Buffer, token: string | null, id: string = sha256(bytes), headers: Record<string, string> = {}): Promise<RawResponse> {
  return httpRequest(`${base}/files/${boardId}/${id}`, {
    method: 'PUT',
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/octet-stream', ...headers },
    body: bytes,
  });
}

export function json(res: RawResponse): { error?: string; [key: string]: unknown } {
  return JSON.parse(res.body.toString('utf8')) as { error?: string };
}
