/**
 * Receiving an upload body: streamed into a temporary file under DATA_DIR/files/tmp (never held in
 * memory), hashed and counted as it arrives. Over the limit -> too-large at that byte; the client
 * leaving -> ClientGone. Either way the temporary file is gone before this returns; on success it is
 * fsynced, so renaming it into place afterwards cannot expose a file whose bytes are not on disk.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { ClientGone, FileError } from './errors';
import { SNIFF_BYTES } from './sniff';

export interface Received {
  path: string;
  /** Lower-case hex SHA-256 of the body. */
  sha256: string;
  bytes: number;
  /** The first SNIFF_BYTES of the body (less if it is shorter). */
  head: Buffer;
}

export interface ReceiveOptions {
  tmpDir: string;
  maxBytes: number;
  /** Called with every chunk's length as it arrives (metrics). */
  onBytes?: (bytes: number) => void;
}

/** A unique name in `dir` for a temporary file (the suffix says which step made it). */
export function tempPath(dir: string, suffix: string): string {
  return join(dir, `${Date.now().toString(36)}-${randomBytes(8).toString('hex')}.${suffix}`);
}

export async function receiveUpload(req: IncomingMessage, options: ReceiveOptions): Promise<Received> {
  const path = tempPath(options.tmpDir, 'part');
  const hash = createHash('sha256');
  const headChunks: Buffer[] = [];
  let headBytes = 0;
  let bytes = 0;
  const fh = await open(path, 'wx', 0o600);
  try {
    // destroyOnReturn false: on too-large we still answer 413 on this socket, then drain it
    for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      bytes += chunk.byteLength;
      options.onBytes?.(chunk.byteLength);
      if (bytes > options.maxBytes) throw new FileError('too-large', `body exceeds ${options.maxBytes} bytes`);
      hash.update(chunk);
      if (headBytes < SNIFF_BYTES) {
        headChunks.push(chunk.subarray(0, SNIFF_BYTES - headBytes));
        headBytes += Math.min(chunk.byteLength, SNIFF_BYTES - headBytes);
      }
      for (let at = 0; at < chunk.byteLength; ) at += (await fh.write(chunk, at, chunk.byteLength - at)).bytesWritten;
    }
    if (!req.complete) throw new ClientGone('upload aborted');
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => {});
    await rm(path, { force: true });
    if (err instanceof FileError) throw err;
    throw new ClientGone(err instanceof Error ? err.message : String(err));
  }
  await fh.close();
  return { path, sha256: hash.digest('hex'), bytes, head: Buffer.concat(headChunks) };
}

/** fsync of a file we wrote by other means (sharp's toFile) before it is renamed into place. */
export async function syncFile(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
