/**
 * Stored means stored: a spawned server process is killed with SIGKILL right after answering 201;
 * a fresh server on the same DATA_DIR serves the file and its variants. Leftovers of a crash
 * (a temporary upload, bytes without a row) are removed at start.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, spawnServer, testToken, type ChildServer } from '../testing/helpers';
import { httpBase, httpRequest, noiseImage, sha256, uploadFile } from './testing';

const children: ChildServer[] = [];
const tmp = makeTempDir();

afterAll(() => {
  for (const c of children) c.child.kill('SIGKILL');
  tmp.remove();
});

describe('files survive kill -9', () => {
  it('a file answered 201 is served after SIGKILL and restart; crash leftovers are swept', async () => {
    const first = await spawnServer(tmp.dir);
    children.push(first);
    const jpeg = await noiseImage(1600, 1200, 'jpeg');
    const id = sha256(jpeg);
    const put = await uploadFile(httpBase(first.port), 'crash', jpeg, testToken('crash'));
    expect(put.status).toBe(201);
    process.kill(first.pid, 'SIGKILL');
    await first.exited;

    // what a crash mid-upload leaves: a temporary file and renamed bytes whose row never committed
    const orphanId = 'ab'.padEnd(64, '0');
    mkdirSync(join(tmp.dir, 'files', 'ab'), { recursive: true });
    writeFileSync(join(tmp.dir, 'files', 'ab', orphanId), 'orphan');
    writeFileSync(join(tmp.dir, 'files', 'tmp', 'leftover.part'), 'partial');

    const second = await spawnServer(tmp.dir);
    children.push(second);
    const auth = { Authorization: `Bearer ${testToken('crash', { role: 'viewer' })}` };
    const full = await httpRequest(`${httpBase(second.port)}/files/crash/${id}`, { headers: auth });
    expect(full.status).toBe(200);
    expect(full.body.equals(jpeg)).toBe(true);
    const small = await httpRequest(`${httpBase(second.port)}/files/crash/${id}?size=1024`, { headers: auth });
    expect([small.status, small.headers['content-type']]).toEqual([200, 'image/webp']);
    expect(existsSync(join(tmp.dir, 'files', 'ab', orphanId))).toBe(false);
    expect(existsSync(join(tmp.dir, 'files', 'tmp', 'leftover.part'))).toBe(false);
  });
});
