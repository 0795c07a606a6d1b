/**
 * Image work with sharp (libvips), always through the JobQueue (at most two decodes at once).
 *
 * Order matters for bombs: the pixel count is read from the header (sharp's metadata() reads no
 * pixel data) and checked against MAX_IMAGE_PIXELS before anything is decoded; the decodes then
 * also carry limitInputPixels. Corrupt or truncated images are found by decoding them for real:
 * making the variants does, and an image too small for variants is decoded once on its own.
 *
 * SVG: checked against the policy in sniff.ts, then rasterized to PNG at its own size, at most
 * SVG_MAX_SIDE px on its longest side; the PNG is what is served, and what the variants come from.
 */
import { rm } from 'node:fs/promises';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { FILE_VARIANT_SIZES, type ImageType } from '../../lib/files/file-contract';
import { FileError } from './errors';
import type { JobQueue } from './limits';
import type { StagedForm } from './store';
import { svgProblem } from './sniff';
import { syncFile, tempPath } from './upload';

/** Longest side of an SVG's rasterization. */
export const SVG_MAX_SIDE = 4096;
const WEBP_QUALITY = 80;
/** libwebp effort 0-6: 2 encodes a 1024 px variant ~45% faster than the default 4 at about the same size (measured on noise). */
const WEBP_EFFORT = 2;

// no cache of decoded images between requests: memory goes back as soon as a job ends
sharp.cache(false);

export interface ImageOptions {
  maxPixels: number;
  tmpDir: string;
  queue: JobQueue;
}

export interface Processed {
  width: number;
  height: number;
  /** Derived forms (png for an SVG, WebP variants), already fsynced in tmpDir. */
  forms: StagedForm[];
}

function badImage(err: unknown): FileError {
  return new FileError('bad-image', `image could not be decoded: ${err instanceof Error ? err.message : String(err)}`);
}

async function dimensions(input: string | Buffer): Promise<{ width: number; height: number }> {
  let meta: Metadata;
  try {
    // header only: no pixel data is read, so no limit is needed here (we apply ours right after)
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw badImage(err);
  }
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new FileError('bad-image', 'image has no dimensions');
  return { width, height };
}

function checkPixels(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new FileError('too-many-pixels', `${width}x${height} is more than ${maxPixels} pixels`);
  }
}

/** Makes the WebP variants smaller than the image; decodes `input` (so also validates it). */
async function makeVariants(input: string, width: number, height: number, options: ImageOptions): Promise<StagedForm[]> {
  const longest = Math.max(width, height);
  const sizes = [...FILE_VARIANT_SIZES].filter((s) => s < longest).sort((a, b) => b - a);
  const forms: StagedForm[] = [];
  const decode = (from: string) => sharp(from, { limitInputPixels: options.maxPixels, autoOrient: true });
  try {
    if (sizes.length === 0) {
      // no variant to make, but the image must still prove it decodes (truncated files do not)
      await decode(input).raw().toBuffer();
      return forms;
    }
    // each smaller variant is made from the previous one: one full decode per upload
    let source = input;
    for (const size of sizes) {
      const path = tempPath(options.tmpDir, `${size}.webp`);
      forms.push({ form: String(size) as '256' | '1024', path, bytes: 0 });
      const info = await decode(source).resize(size, size, { fit: 'inside' }).webp({ quality: WEBP_QUALITY, effort: WEBP_EFFORT }).toFile(path);
      forms[forms.length - 1].bytes = info.size;
      source = path;
    }
    for (const f of forms) await syncFile(f.path);
    return forms;
  } catch (err) {
    await Promise.all(forms.map((f) => rm(f.path, { force: true })));
    throw err instanceof FileError ? err : badImage(err);
  }
}

/** Validates a raster image at `path` and makes its variants. */
export function processRaster(path: string, options: ImageOptions): Promise<Processed> {
  return options.queue.run(async () => {
    const { width, height } = await dimensions(path);
    checkPixels(width, height, options.maxPixels);
    return { width, height, forms: await makeVariants(path, width, height, options) };
  });
}

/** Checks an SVG against the policy, rasterizes it to PNG and makes the PNG's variants. */
export function processSvg(svg: Buffer, options: ImageOptions): Promise<Processed> {
  const problem = svgProblem(svg.toString('utf8'));
  if (problem) return Promise.reject(new FileError('bad-image', `SVG refused: it contains ${problem}`));
  return options.queue.run(async () => {
    const declared = await dimensions(svg);
    // librsvg renders at 72 dpi by default; a lower density scales a huge canvas down before rendering
    const scale = Math.min(1, SVG_MAX_SIDE / Math.max(declared.width, declared.height));
    const png = tempPath(options.tmpDir, 'png');
    let info: OutputInfo;
    try {
      info = await sharp(svg, { density: Math.max(1, 72 * scale), limitInputPixels: options.maxPixels }).png().toFile(png);
    } catch (err) {
      await rm(png, { force: true });
      throw badImage(err);
    }
    try {
      checkPixels(info.width, info.height, options.maxPixels);
      await syncFile(png);
      const variants = await makeVariants(png, info.width, info.height, options);
      return { width: info.width, height: info.height, forms: [{ form: 'png', path: png, bytes: info.size }, ...variants] };
    } catch (err) {
      await rm(png, { force: true });
      throw err;
    }
  });
}

/** Which processing an upload of `type` gets. */
export function isSvg(type: ImageType): boolean {
  return type === 'image/svg+xml';
}
