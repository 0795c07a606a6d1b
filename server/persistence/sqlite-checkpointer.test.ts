import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStorage, WAL_SIZE_LIMIT } from './sqlite';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cb-ckpt-'));
  dirs.push(dir);
  return join(dir, 'commonboard.db');
}

const update = (i: number) => new Uint8Array(200).fill(i & 0xff);

async function writeMany(storage: SqliteStorage, commits: number): Promise<void> {
  for (let i = 0; i < commits; i++) await storage.appendUpdates(`board-${i % 5}`, [update(i), update(i + 1)]);
}

const walBytes = (file: string) => statSync(`${file}-wal`).size;

describe('WAL checkpoints in a worker thread', () => {
  it('keeps the WAL bounded while the writer never checkpoints, and loses nothing', async () => {
    const file = tempFile();
    const errors: string[] = [];
    // the writer's own checkpoints are off: only the worker can let the WAL restart
    const storage = new SqliteStorage(file, { checkpointEveryMs: 20, onCheckpointError: (m) => errors.push(m) });
    try {
      // 3 rounds of ~1,500 pages each: without the worker the WAL would only grow
      for (let round = 0; round < 3; round++) {
        await writeMany(storage, 1_500);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      // a completed checkpoint lets the next commit restart the WAL, truncated to the limit
      expect(walBytes(file)).toBeGreaterThan(WAL_SIZE_LIMIT);
      await writeMany(storage, 1);
      expect(walBytes(file)).toBeLessThanOrEqual(WAL_SIZE_LIMIT + 64 * 1024);
      expect(errors).toEqual([]);
      expect((await storage.load('board-0')).updates).toHaveLength(1_802);
    } finally {
      await storage.close();
    }
    const reopened = new SqliteStorage(file);
    try {
      expect((await reopened.load('board-4')).updates).toHaveLength(1_800);
    } finally {
      await reopened.close();
    }
  });

  it('without the worker, the writer checkpoints inline as SQLite does by default', async () => {
    const file = tempFile();
    const storage = new SqliteStorage(file);
    try {
      await writeMany(storage, 4_500);
      expect(walBytes(file)).toBeLessThanOrEqual(WAL_SIZE_LIMIT + 64 * 1024);
    } finally {
      await storage.close();
    }
  });
});
