/**
 * The Postgres file store against the real PostgreSQL (127.0.0.1:5432, a fresh database per run;
 * no skipping: without Postgres this fails). Chunked bytes and ranges across chunk boundaries,
 * quota, dedupe, gc after a purge; then a real server on DATABASE_URL end to end over HTTP.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileId } from '../../lib/files/file-contract';
import { createTestDatabase, type TestDatabase } from '../integration/cluster-harness';
import { PostgresStorage } from '../persistence/postgres';
import { makeTempDir, startTestServer, testToken } from '../testing/helpers';
import { CHUNK_BYTES, PostgresFileStore } from './postgres-store';
import type { NewFile } from './store';
import { httpBase, httpRequest, json, sha256, solidPng, uploadFile } from './testing';

const tmp = makeTempDir();
let db: TestDatabase;
let storage: PostgresStorage;
let store: PostgresFileStore;

beforeAll(async () => {
  db = await createTestDatabase();
  storage = await PostgresStorage.open(db.url);
  store = await PostgresFileStore.open(db.url);
});

afterAll(async () => {
  await store?.close();
  await storage?.close();
  await db?.drop();
  tmp.remove();
});

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A "file" whose original is `bytes` (the store does not look at pixels) plus a small 256 form. */
async function staged(bytes: Buffer): Promise<NewFile> {
  const id = sha256(bytes);
  const original = join(tmp.dir, `${id}.orig`);
  const small = join(tmp.dir, `${id}.256`);
  await writeFile(original, bytes);
  await writeFile(small, Buffer.from('small'));
  return {
    info: { id, type: 'image/png', bytes: bytes.byteLength, width: 4000, height: 10 },
    forms: [
      { form: 'original', path: original, bytes: bytes.byteLength },
      { form: '256', path: small, bytes: 5 },
    ],
  };
}

describe('PostgresFileStore', () => {
  it('stores a multi-chunk file and reads it whole and by ranges across chunk boundaries', async () => {
    const bytes = randomBytes(CHUNK_BYTES * 2 + 12_345);
    const file = await staged(bytes);
    expect(await store.put('pg-a', file, 10 * CHUNK_BYTES)).toBe('stored');
    const id = file.info.id;
    expect(await store.get('pg-a', id)).toEqual({ ...file.info, forms: { '256': 5 } });
    expect((await bytesOf(await store.read(id, 'original'))).equals(bytes)).toBe(true);
    for (const [start, end] of [
      [0, 0],
      [CHUNK_BYTES - 10, CHUNK_BYTES + 10],
      [CHUNK_BYTES * 2, bytes.byteLength - 1],
      [5, CHUNK_BYTES * 2 + 100],
    ]) {
      expect((await bytesOf(await store.read(id, 'original', { start, end }))).equals(bytes.subarray(start, end + 1))).toBe(true);
    }
    expect(await text(await store.read(id, '256'))).toBe('small');
    await expect(store.read(id, '1024')).rejects.toThrow();
    const chunks = await storage['pool'].query<{ n: number }>('SELECT COUNT(*)::int AS n FROM file_chunks WHERE file_id = $1 AND form = $2', [id, 'original']);
    expect(chunks.rows[0].n).toBe(3);
  });

  it('dedupes (existed / referenced), keeps each board under its quota, and scopes reads to referencing boards', async () => {
    const bytes = randomBytes(1000);
    const file = await staged(bytes);
    const id = file.info.id;
    expect(await store.put('pg-b', file, 5000)).toBe('stored');
    expect(await store.put('pg-b', file, 5000)).toBe('existed');
    expect(await store.get('pg-c', id)).toBeNull();
    expect(await store.reference('pg-c', id, 999)).toBe('board-full');
    expect(await store.reference('pg-c', id, 5000)).toBe('referenced');
    expect(await store.reference('pg-c', id, 5000)).toBe('existed');
    expect(await store.boardBytes('pg-c')).toBe(1000);
    expect(await store.reference('pg-c', sha256(Buffer.from('never stored')) as FileId, 5000)).toBeNull();
    const other = await staged(randomBytes(4500));
    expect(await store.put('pg-b', other, 5000)).toBe('board-full');
    expect(await store.find(other.info.id)).toBeNull();
  });

  it('a purged board loses its references and gc removes files nobody references (chunks too)', async () => {
    const file = await staged(randomBytes(2000));
    expect(await store.put('pg-purge', file, 1e9)).toBe('stored');
    await storage.trashBoard('pg-purge', 1);
    expect(await storage.purgeTrash(2)).toEqual(['pg-purge']);
    expect(await store.gc()).toBeGreaterThanOrEqual(1);
    expect(await store.find(file.info.id)).toBeNull();
    const left = await storage['pool'].query('SELECT 1 FROM file_chunks WHERE file_id = $1', [file.info.id]);
    expect(left.rowCount).toBe(0);
  });

  it('serves uploads end to end from a server on DATABASE_URL', async () => {
    const dir = makeTempDir();
    const server = await startTestServer(dir.dir, { databaseUrl: db.url });
    try {
      const base = httpBase(server.port);
      const png = await solidPng(1500, 300, '#336699');
      const put = await uploadFile(base, 'pg-http', png, testToken('pg-http'));
      expect([put.status, json(put).width]).toEqual([201, 1500]);
      const auth = { Authorization: `Bearer ${testToken('pg-http', { role: 'viewer' })}` };
      const full = await httpRequest(`${base}/files/pg-http/${sha256(png)}`, { headers: auth });
      expect(full.body.equals(png)).toBe(true);
      const part = await httpRequest(`${base}/files/pg-http/${sha256(png)}`, { headers: { ...auth, Range: 'bytes=100-199' } });
      expect([part.status, part.body.equals(png.subarray(100, 200))]).toEqual([206, true]);
      const small = await httpRequest(`${base}/files/pg-http/${sha256(png)}?size=256`, { headers: auth });
      expect(small.headers['content-type']).toBe('image/webp');
    } finally {
      await server.close();
      dir.remove();
    }
  });
});
