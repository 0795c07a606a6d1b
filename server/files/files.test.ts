/**
 * Files over a real server and real sockets: upload, read back, variants, dedupe, caching, ranges,
 * CORS, and who may do what (viewer, forged or missing token, another board's token, the trash).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, startTestServer, testToken } from '../testing/helpers';
import { hasVersionStore } from '../persistence/versions';
import type { RunningServer } from '../start-server';
import { bombPng, httpBase, httpRequest, json, sha256, solidPng, uploadFile, type RawResponse } from './testing';

const tmp = makeTempDir();
let server: RunningServer;
let base: string;

beforeAll(async () => {
  server = await startTestServer(tmp.dir, { allowedOrigins: ['https://app.example'] });
  base = httpBase(server.port);
});

afterAll(async () => {
  await server.close();
  tmp.remove();
});

const editor = (board: string) => testToken(board, { role: 'editor' });
const viewer = (board: string) => testToken(board, { role: 'viewer' });
const get = (board: string, id: string, query = '', headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> =>
  httpRequest(`${base}/files/${board}/${id}${query}`, { method, headers: { Authorization: `Bearer ${viewer(board)}`, ...headers } });

describe('files: round trip', () => {
  it('stores an upload (201 FileInfo) and serves the same bytes with safe, cacheable headers', async () => {
    const png = await solidPng(120, 80);
    const put = await uploadFile(base, 'round', png, editor('round'));
    expect(put.status).toBe(201);
    expect(json(put)).toEqual({ id: sha256(png), type: 'image/png', bytes: png.byteLength, width: 120, height: 80 });

    const res = await get('round', sha256(png));
    expect(res.status).toBe(200);
    expect(res.body.equals(png)).toBe(true);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(res.headers['content-disposition']).toMatch(/^inline; filename="[0-9a-f]{16}\.png"$/);
    expect(res.headers.etag).toBe(`"${sha256(png)}"`);

    const head = await get('round', sha256(png), '', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(png.byteLength));
    expect(head.body.byteLength).toBe(0);
    const download = await get('round', sha256(png), '?download=1');
    expect(download.headers['content-disposition']).toMatch(/^attachment; /);
  });

  it('bytes live under DATA_DIR/files/<2 hex>/<id>, temporary files are gone', async () => {
    const png = await solidPng(10, 10, '#123456');
    expect((await uploadFile(base, 'round', png, editor('round'))).status).toBe(201);
    const id = sha256(png);
    expect(readdirSync(join(tmp.dir, 'files', id.slice(0, 2)))).toContain(id);
    expect(readdirSync(join(tmp.dir, 'files', 'tmp'))).toEqual([]);
  });

  it('makes 256 and 1024 WebP variants of a large image and serves the original for a small one', async () => {
    const big = await solidPng(2000, 1000, '#884422');
    expect((await uploadFile(base, 'variants', big, editor('variants'))).status).toBe(201);
    for (const [size, w, h] of [
      [256, 256, 128],
      [1024, 1024, 512],
    ] as const) {
      const res = await get('variants', sha256(big), `?size=${size}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/webp');
      expect(res.headers.etag).toBe(`"${sha256(big)}.${size}"`);
      const meta = await sharp(res.body).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', w, h]);
    }
    const small = await solidPng(300, 200, '#224488');
    expect((await uploadFile(base, 'variants', small, editor('variants'))).status).toBe(201);
    const s256 = await get('variants', sha256(small), '?size=256');
    expect(s256.headers['content-type']).toBe('image/webp');
    const s1024 = await get('variants', sha256(small), '?size=1024');
    expect(s1024.headers['content-type']).toBe('image/png');
    expect(s1024.body.equals(small)).toBe(true);
    expect((await get('variants', sha256(small), '?size=512')).status).toBe(400);
  });

  it('dedupes: the same bytes again on the board -> 200; on another board -> 201 reference, one copy', async () => {
    const png = await solidPng(50, 50, '#00ff00');
    const id = sha256(png);
    expect((await uploadFile(base, 'dedupe-a', png, editor('dedupe-a'))).status).toBe(201);
    const again = await uploadFile(base, 'dedupe-a', png, editor('dedupe-a'));
    expect(again.status).toBe(200);
    expect(json(again).id).toBe(id);
    expect((await get('dedupe-b', id)).status).toBe(404); // not referenced by dedupe-b yet
    expect((await uploadFile(base, 'dedupe-b', png, editor('dedupe-b'))).status).toBe(201);
    expect((await get('dedupe-b', id)).body.equals(png)).toBe(true);
    expect(readdirSync(join(tmp.dir, 'files', id.slice(0, 2))).filter((n) => n.startsWith(id))).toEqual([id]);
  });

  it('five simultaneous uploads of the same bytes: one 201, four 200, one copy', async () => {
    const png = await solidPng(700, 500, '#0f0f0f');
    const id = sha256(png);
    const statuses = (await Promise.all(Array.from({ length: 5 }, () => uploadFile(base, 'race', png, editor('race'))))).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 200, 200, 200, 201]);
    expect(readdirSync(join(tmp.dir, 'files', id.slice(0, 2))).filter((n) => n.startsWith(id)).sort()).toEqual([id, `${id}.256.webp`]);
  });

  it('an animated GIF is served as uploaded; its variants come from the first frame', async () => {
    const frames = await Promise.all(['#ff0000', '#00ff00', '#0000ff'].map((c) => solidPng(1200, 600, c)));
    const gif = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
    const put = await uploadFile(base, 'gif', gif, editor('gif'));
    expect(json(put)).toMatchObject({ type: 'image/gif', width: 1200, height: 600 });
    const full = await get('gif', sha256(gif));
    expect([full.headers['content-type'], full.body.equals(gif)]).toEqual(['image/gif', true]);
    const small = await get('gif', sha256(gif), '?size=256');
    const meta = await sharp(small.body).metadata();
    expect([meta.format, meta.width, meta.height, meta.pages ?? 1]).toEqual(['webp', 256, 128, 1]);
  });

  it('ETag + If-None-Match -> 304; Range -> 206, past the end -> 416', async () => {
    const png = await solidPng(64, 64, '#abcdef');
    const id = sha256(png);
    await uploadFile(base, 'cache', png, editor('cache'));
    const first = await get('cache', id);
    const cached = await get('cache', id, '', { 'If-None-Match': String(first.headers.etag) });
    expect(cached.status).toBe(304);
    expect(cached.body.byteLength).toBe(0);
    const part = await get('cache', id, '', { Range: 'bytes=10-19' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-19/${png.byteLength}`);
    expect(part.body.equals(png.subarray(10, 20))).toBe(true);
    const tail = await get('cache', id, '', { Range: 'bytes=-5' });
    expect(tail.body.equals(png.subarray(png.byteLength - 5))).toBe(true);
    const beyond = await get('cache', id, '', { Range: `bytes=${png.byteLength}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${png.byteLength}`);
  });
});

describe('files: who may do what', () => {
  let png: Buffer;
  beforeAll(async () => {
    png = await solidPng(30, 30, '#ff00ff');
  });

  it('a viewer reads but cannot upload (403 forbidden)', async () => {
    const res = await uploadFile(base, 'auth', png, viewer('auth'));
    expect(res.status).toBe(403);
    expect(json(res).error).toBe('forbidden');
    expect((await uploadFile(base, 'auth', png, editor('auth'))).status).toBe(201);
    expect((await get('auth', sha256(png))).status).toBe(200);
  });

  it('no token, a forged or an expired token -> 401; a token only in the URL does not count', async () => {
    expect(json(await uploadFile(base, 'auth', png, null)).error).toBe('unauthorized');
    expect((await uploadFile(base, 'auth', png, testToken('auth', { secret: 'forged-secret-forged-secret-forged-secret!' }))).status).toBe(401);
    expect((await uploadFile(base, 'auth', png, testToken('auth', { expiresIn: -10 }))).status).toBe(401);
    const inUrl = await httpRequest(`${base}/files/auth/${sha256(png)}?token=${viewer('auth')}`);
    expect(inUrl.status).toBe(400);
    expect((await httpRequest(`${base}/files/auth/${sha256(png)}`)).status).toBe(401);
  });

  it("another board's token is refused (403), and a board reads only files it references", async () => {
    const res = await httpRequest(`${base}/files/auth/${sha256(png)}`, { headers: { Authorization: `Bearer ${viewer('elsewhere')}` } });
    expect(res.status).toBe(403);
    expect((await uploadFile(base, 'auth', png, editor('elsewhere'))).status).toBe(403);
    expect((await get('elsewhere', sha256(png))).status).toBe(404);
  });

  it('a board in the trash serves nothing (404); purging it drops its references and gc removes the bytes', async () => {
    const own = await solidPng(31, 31, '#010203');
    const id = sha256(own);
    await uploadFile(base, 'trashed', png, editor('trashed'));
    await uploadFile(base, 'trashed', own, editor('trashed'));
    await server.history!.trash('trashed');
    expect((await get('trashed', sha256(png))).status).toBe(404);
    if (!hasVersionStore(server.storage)) throw new Error('SQLite storage keeps versions and the trash');
    expect(await server.storage.purgeTrash(Date.now() + 1)).toEqual(['trashed']);
    expect(await server.files!.store.gc()).toBe(1); // `own`; `png` is still on board 'auth'
    expect(readdirSync(join(tmp.dir, 'files', id.slice(0, 2))).filter((n) => n.startsWith(id))).toEqual([]);
    expect((await get('auth', sha256(png))).status).toBe(200);
  });

  it('answers CORS preflights for allowed origins only, and bad ids with 400', async () => {
    const ok = await httpRequest(`${base}/files/auth/${sha256(png)}`, { method: 'OPTIONS', headers: { Origin: 'https://app.example' } });
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(String(ok.headers['access-control-allow-headers'])).toMatch(/Authorization/);
    const bad = await httpRequest(`${base}/files/auth/${sha256(png)}`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } });
    expect(bad.status).toBe(403);
    const read = await get('auth', sha256(png), '', { Origin: 'https://app.example' });
    expect(read.headers['access-control-allow-origin']).toBe('https://app.example');
    expect((await get('auth', 'not-a-hash')).status).toBe(400);
    expect((await get('bad board', sha256(png))).status).toBe(400);
  });

  it('counts refusals by code in /metrics', async () => {
    await uploadFile(base, 'metrics', await bombPng(), editor('metrics'));
    const text = (await httpRequest(`${base}/metrics`)).body.toString();
    expect(text).toMatch(/commonboard_file_refusals_total\{code="too-many-pixels"\} [1-9]/);
    expect(text).toMatch(/commonboard_file_upload_bytes_total [1-9]/);
  });
});
