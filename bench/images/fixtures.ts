/**
 * Images for bench:images, made in Node with sharp: every one has different bytes (random colours
 * and noise), so nothing dedupes on the server (a file's id is the SHA-256 of its bytes). The board
 * of many images is built the way a scripted peer would: PUT /files/<board>/<id> with an editor
 * token (lib/files/file-contract.ts), then the shapes through lib/board's addImages over a real
 * y-websocket client (bench/canvas/seed.ts).
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import sharp from 'sharp';
import { addImages, type NewImage } from '../../lib/board';
import { fileUrl, syncHttpBase, type FileId, type FileInfo } from '../../lib/files/file-contract';
import { seedWith } from '../canvas/seed';

export type BenchImage = { bytes: Buffer; fileId: FileId; type: 'image/jpeg' | 'image/png'; width: number; height: number };

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex') as FileId;

/** RGB pixels: a diagonal gradient between two random colours plus uniform noise of +-`noise`. */
function pixels(width: number, height: number, noise: number): Buffer {
  const out = Buffer.allocUnsafe(width * height * 3);
  const jitter = randomBytes(width * height * 3);
  const a = [randomInt(256), randomInt(256), randomInt(256)];
  const b = [randomInt(256), randomInt(256), randomInt(256)];
  const span = width + height;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x + y) / span;
      for (let c = 0; c < 3; c++, i++) {
        const v = a[c] + (b[c] - a[c]) * t + ((jitter[i] * 2 * noise) / 255 - noise);
        out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return out;
}

export async function makeImage(width: number, height: number, type: BenchImage['type'], noise: number, quality = 85): Promise<BenchImage> {
  const img = sharp(pixels(width, height, noise), { raw: { width, height, channels: 3 } });
  const bytes = type === 'image/png' ? await img.png({ compressionLevel: 6 }).toBuffer() : await img.jpeg({ quality }).toBuffer();
  return { bytes, fileId: sha256(bytes), type, width, height };
}

/**
 * A photo-sized JPEG of about `targetBytes`: full-amplitude noise (a camera photo does not compress
 * much either), the quality picked so the size lands near the target.
 */
export async function makePhoto(targetBytes: number): Promise<BenchImage> {
  // 2400 x 1800 noise at quality q: the size grows with q; a few probes find the closest
  let best: BenchImage | null = null;
  for (const q of [94, 96, 98]) {
    const img = await makeImage(2400, 1800, 'image/jpeg', 128, q);
    if (!best || Math.abs(img.bytes.length - targetBytes) < Math.abs(best.bytes.length - targetBytes)) best = img;
    if (img.bytes.length >= targetBytes) break;
  }
  return best!;
}

/** The board mix: `count` images, sizes from 300 x 200 to 3000 x 2000 in turn, one in ten a PNG (small ones only). */
export const SIZES: [number, number][] = [
  [300, 200],
  [600, 400],
  [1200, 800],
  [2000, 1333],
  [3000, 2000],
];

export function mixSpec(i: number): { width: number; height: number; type: BenchImage['type'] } {
  const [width, height] = SIZES[i % SIZES.length];
  // PNG only for the two small sizes: a noisy 3000 x 2000 PNG would be 18 MB, not a typical upload
  const png = i % SIZES.length < 2 && Math.floor(i / SIZES.length) % 5 === 0;
  return { width, height, type: png ? 'image/png' : 'image/jpeg' };
}

export async function upload(sync: string, boardId: string, token: string, img: BenchImage): Promise<FileInfo> {
  const res = await fetch(fileUrl(syncHttpBase(sync), boardId, img.fileId), {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': img.type },
    body: new Uint8Array(img.bytes),
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`PUT ${img.fileId}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as FileInfo;
}

/** makeMs, putMs: summed over all images (sharp encode; PUT round trip incl. the server's decode + variants); wallMs: all of it, `parallel` at a time. */
export type BuiltBoard = { images: number; uploadedBytes: number; makeMs: number; putMs: number; wallMs: number; cols: number };

/**
 * Makes `count` images, uploads them (`parallel` PUTs at a time: the server decodes and makes
 * variants two at a time anyway) and places them `cols` to a row, each fitted to `maxSize`.
 */
export async function buildImageBoard(
  stack: { sync: string },
  boardId: string,
  tokens: [string, string],
  count: number,
  opts: { cols: number; maxSize: number; parallel: number },
): Promise<BuiltBoard> {
  const infos: FileInfo[] = new Array(count);
  let next = 0;
  let uploadedBytes = 0;
  let makeMs = 0;
  let putMs = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const spec = mixSpec(i);
      const t = performance.now();
      const img = await makeImage(spec.width, spec.height, spec.type, 24);
      makeMs += performance.now() - t;
      uploadedBytes += img.bytes.length;
      const p = performance.now();
      infos[i] = await upload(stack.sync, boardId, tokens[0], img);
      putMs += performance.now() - p;
    }
  };
  await Promise.all(Array.from({ length: opts.parallel }, worker));
  const rowPitch = opts.maxSize * (2 / 3) + 24; // every size is 3:2
  await seedWith(stack.sync, boardId, tokens, count, (board) => {
    for (let row = 0; row * opts.cols < count; row++) {
      const slice = infos.slice(row * opts.cols, (row + 1) * opts.cols);
      const images = slice.map((f): NewImage => ({ fileId: f.id, mime: f.type, bytes: f.bytes, naturalWidth: f.width, naturalHeight: f.height }));
      // a row centred on x = half the row's width: the grid starts near the board's origin
      const width = opts.cols * (opts.maxSize + 24);
      addImages(board, images, { center: { x: width / 2, y: 40 + row * rowPitch + rowPitch / 2 }, createdBy: 'bench', maxSize: opts.maxSize });
    }
  });
  return { images: count, uploadedBytes, makeMs: Math.round(makeMs), putMs: Math.round(putMs), wallMs: Math.round(performance.now() - started), cols: opts.cols };
}
