/**
 * Hostile and broken uploads against a real server: every refusal has its contract code, nothing
 * is left in DATA_DIR/files, and the server keeps serving.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, startTestServer, testToken, waitFor } from '../testing/helpers';
import { bombPng, httpBase, httpRequest, json, sha256, solidPng, uploadFile } from './testing';
import sharp from 'sharp';

const KiB = 1024;

async function started(overrides: Parameters<typeof startTestServer>[1] = {}) {
  const tmp = makeTempDir();
  const server = await startTestServer(tmp.dir, overrides);
  return { tmp, server, base: httpBase(server.port) };
}

/** Every stored byte and temporary file (files/tmp included). */
function filesOnDisk(dir: string): string[] {
  const root = join(dir, 'files');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

let env: Awaited<ReturnType<typeof started>>;
const editor = (board: string) => testToken(board, { role: 'editor' });

beforeAll(async () => {
  env = await started({ maxFileBytes: 256 * KiB, boardFilesMaxBytes: 256 * KiB, maxImagePixels: 4_000_000 });
});

afterAll(async () => {
  await env.server.close();
  env.tmp.remove();
});

async function refused(board: string, bytes: Buffer, status: number, code: string, id?: string): Promise<void> {
  const before = filesOnDisk(env.tmp.dir).length;
  const res = await uploadFile(env.base, board, bytes, editor(board), id);
  expect([res.status, json(res).error]).toEqual([status, code]);
  expect(filesOnDisk(env.tmp.dir).length).toBe(before);
}

describe('hostile uploads', () => {
  it('a polyglot (PNG + HTML) is only ever served as image/png with nosniff and a sandboxing CSP', async () => {
    const poly = Buffer.concat([await solidPng(20, 20), Buffer.from('<html><script>alert(document.domain)</script></html>')]);
    const put = await uploadFile(env.base, 'hostile', poly, editor('hostile'), undefined, { 'Content-Type': 'text/html' });
    expect(put.status).toBe(201);
    const res = await httpRequest(`${env.base}/files/hostile/${sha256(poly)}`, { headers: { Authorization: `Bearer ${editor('hostile')}` } });
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(res.headers['content-disposition']).toMatch(/filename="[0-9a-f]+\.png"/);
  });

  it('HTML, PDF-like and empty bodies are 415 unsupported-type', async () => {
    await refused('hostile', Buffer.from('<!doctype html><html><body>hi</body></html>'), 415, 'unsupported-type');
    await refused('hostile', Buffer.from('%PDF-1.7\n...'), 415, 'unsupported-type');
    await refused('hostile', Buffer.alloc(0), 415, 'unsupported-type');
  });

  it.each([
    ['a script', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ['an onload handler', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="5" height="5"/></svg>'],
    ['an external href', '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="http://evil.example/x.png" width="5" height="5"/></svg>'],
    ['a file: href', '<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd" width="5" height="5"/></svg>'],
    ['an external url()', '<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5" style="fill:url(https://evil.example/p)"/></svg>'],
    ['foreignObject', '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject width="5" height="5"><div>x</div></foreignObject></svg>'],
    ['an entity', '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>'],
    ['@import', '<svg xmlns="http://www.w3.org/2000/svg"><style>@import "https://evil.example/a.css";</style></svg>'],
  ])('an SVG with %s is refused (422 bad-image)', async (_what, svg) => {
    await refused('hostile', Buffer.from(svg), 422, 'bad-image');
  });

  it('a clean SVG is rasterized: FileInfo says SVG, the PNG is served, never the SVG', async () => {
    const svg = Buffer.from(
      '<?xml version="1.0"?>\n<!-- a drawing --><svg xmlns="http://www.w3.org/2000/svg" width="300" height="150"><defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs><rect width="300" height="150" fill="url(#g)"/><use href="#g"/></svg>',
    );
    const put = await uploadFile(env.base, 'hostile', svg, editor('hostile'));
    expect(put.status).toBe(201);
    expect(json(put)).toMatchObject({ type: 'image/svg+xml', width: 300, height: 150 });
    const res = await httpRequest(`${env.base}/files/hostile/${sha256(svg)}`, { headers: { Authorization: `Bearer ${editor('hostile')}` } });
    expect(res.headers['content-type']).toBe('image/png');
    expect((await sharp(res.body).metadata()).format).toBe('png');
    const small = await httpRequest(`${env.base}/files/hostile/${sha256(svg)}?size=256`, { headers: { Authorization: `Bearer ${editor('hostile')}` } });
    expect(small.headers['content-type']).toBe('image/webp');
  });

  it('a PNG bomb (header claims 50,000 x 50,000) is refused before decoding: 422 too-many-pixels', async () => {
    const bomb = await bombPng();
    expect(bomb.byteLength).toBeLessThan(200);
    await refused('hostile', bomb, 422, 'too-many-pixels');
  });

  it('a truncated PNG or JPEG is 422 bad-image', async () => {
    const png = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#ff0000' } }).png().toBuffer();
    await refused('hostile', png.subarray(0, Math.floor(png.byteLength * 0.6)), 422, 'bad-image');
    const jpeg = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#00ff00' } }).jpeg().toBuffer();
    await refused('hostile', jpeg.subarray(0, Math.floor(jpeg.byteLength * 0.5)), 422, 'bad-image');
  });

  it('JPEG bytes sent with a PNG name and Content-Type are stored and served as JPEG (sniffed)', async () => {
    const jpeg = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#0000ff' } }).jpeg().toBuffer();
    const put = await uploadFile(env.base, 'hostile', jpeg, editor('hostile'), undefined, { 'Content-Type': 'image/png', 'Content-Disposition': 'attachment; filename="x.png"' });
    expect(json(put).type).toBe('image/jpeg');
    const res = await httpRequest(`${env.base}/files/hostile/${sha256(jpeg)}`, { headers: { Authorization: `Bearer ${editor('hostile')}` } });
    expect(res.headers['content-type']).toBe('image/jpeg');
  });

  it('bytes that do not hash to the id are 400 hash-mismatch', async () => {
    const png = await solidPng(12, 12, '#999999');
    await refused('hostile', png, 400, 'hash-mismatch', sha256(Buffer.from('something else')));
  });

  it('oversize: 413 from Content-Length at once, and at the first byte too many without it; nothing on disk', async () => {
    const big = Buffer.alloc(300 * KiB, 7);
    await refused('oversize', big, 413, 'too-large');
    const before = filesOnDisk(env.tmp.dir).length;
    const chunked = await httpRequest(`${env.base}/files/oversize/${sha256(big)}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${editor('oversize')}` },
      body: big,
      chunked: true,
    });
    expect([chunked.status, json(chunked).error]).toEqual([413, 'too-large']);
    expect(filesOnDisk(env.tmp.dir).length).toBe(before);
  });

  it('a client disconnecting mid-upload leaves nothing behind, and the server goes on', async () => {
    const before = filesOnDisk(env.tmp.dir).length;
    const req = request(`${env.base}/files/gone/${'a'.repeat(64)}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${editor('gone')}`, 'Content-Length': String(200 * KiB) },
      agent: false,
    });
    req.on('error', () => {});
    req.write(Buffer.alloc(64 * KiB, 1));
    // the partial body reaches the temporary file, then the client vanishes
    await waitFor(() => filesOnDisk(env.tmp.dir).length > before, { what: 'upload started' });
    req.destroy();
    await waitFor(() => filesOnDisk(env.tmp.dir).length === before, { what: 'temporary file removed' });
    expect((await httpRequest(`${env.base}/healthz`)).status).toBe(200);
  });

  it('an exception (stored bytes vanished from disk) ends that request with 500, not the process', async () => {
    const png = await solidPng(14, 14, '#141414');
    const id = sha256(png);
    expect((await uploadFile(env.base, 'broken', png, editor('broken'))).status).toBe(201);
    rmSync(join(env.tmp.dir, 'files', id.slice(0, 2), id));
    const res = await httpRequest(`${env.base}/files/broken/${id}`, { headers: { Authorization: `Bearer ${editor('broken')}` } });
    expect([res.status, json(res).error]).toEqual([500, 'server-error']);
    expect(res.body.toString()).not.toContain(env.tmp.dir); // no paths to the client
    expect((await httpRequest(`${env.base}/healthz`)).status).toBe(200);
  });

  it('the board quota is 507 board-full', async () => {
    const a = Buffer.concat([await solidPng(10, 10, '#101010'), Buffer.alloc(150 * KiB)]);
    expect((await uploadFile(env.base, 'quota', a, editor('quota'))).status).toBe(201);
    const b = Buffer.concat([await solidPng(10, 10, '#202020'), Buffer.alloc(150 * KiB)]);
    await refused('quota', b, 507, 'board-full');
    // the same bytes on another board still fit there
    expect((await uploadFile(env.base, 'quota-2', b, editor('quota-2'))).status).toBe(201);
  });
});

describe('upload rate limit', () => {
  it('more than FILE_UPLOADS_PER_MINUTE from one address -> 429 rate-limited with Retry-After', async () => {
    const limited = await started({ fileUploadsPerMinute: 3 });
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 4; i++) {
        const png = await solidPng(8, 8 + i);
        last = await uploadFile(limited.base, 'rate', png, editor('rate'));
        statuses.push(last.status);
      }
      expect(statuses).toEqual([201, 201, 201, 429]);
      expect(json(last!).error).toBe('rate-limited');
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.server.close();
      limited.tmp.remove();
    }
  });
});
