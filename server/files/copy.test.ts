/** copy-to-postgres carries images: bytes of every form and every board's reference (real Postgres, no skip). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createTestDatabase } from '../integration/cluster-harness';
import { SqliteStorage } from '../persistence/sqlite';
import { makeTempDir } from '../testing/helpers';
import { copyFilesToPostgres } from './copy';
import { DiskFileStore } from './disk-store';
import { PostgresFileStore } from './postgres-store';
import type { NewFile } from './store';
import { sha256, solidPng } from './testing';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function bytesOf(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

it('copies every file once with its forms, and every reference; a rerun adds nothing', async () => {
  const tmp = makeTempDir();
  cleanups.push(tmp.remove);
  const dbFile = join(tmp.dir, 'commonboard.db');
  await new SqliteStorage(dbFile).close(); // creates and migrates the database
  const disk = await DiskFileStore.open(dbFile, join(tmp.dir, 'files'));
  cleanups.push(() => disk.close());
  const png = await solidPng(40, 20);
  const small = Buffer.from('a 256 variant');
  await writeFile(join(disk.tmpDir, 'o'), png);
  await writeFile(join(disk.tmpDir, 's'), small);
  const file: NewFile = {
    info: { id: sha256(png), type: 'image/png', bytes: png.byteLength, width: 40, height: 20 },
    forms: [
      { form: 'original', path: join(disk.tmpDir, 'o'), bytes: png.byteLength },
      { form: '256', path: join(disk.tmpDir, 's'), bytes: small.byteLength },
    ],
  };
  expect(await disk.put('board-a', file, 1e9)).toBe('stored');
  expect(await disk.reference('board-b', file.info.id, 1e9)).toBe('referenced');

  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  const pg = await PostgresFileStore.open(db.url);
  cleanups.push(() => pg.close());
  expect(await copyFilesToPostgres(disk, pg)).toEqual({ files: 1, references: 1 });
  for (const board of ['board-a', 'board-b']) expect(await pg.get(board, file.info.id)).toEqual({ ...file.info, forms: { '256': small.byteLength } });
  expect((await bytesOf(await pg.read(file.info.id, 'original'))).equals(png)).toBe(true);
  expect((await bytesOf(await pg.read(file.info.id, '256'))).equals(small)).toBe(true);
  expect(await copyFilesToPostgres(disk, pg)).toEqual({ files: 0, references: 0 });
});
