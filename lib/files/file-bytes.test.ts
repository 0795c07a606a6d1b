import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FILE_BYTES, pickVariant } from './file-contract';
import { base64ToBytes, bytesToBase64, checkImageBytes, fileIdOf, headerImageSize, sniffImageType } from './file-bytes';

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('sniffImageType', () => {
  it('knows the contract types by their bytes', () => {
    expect(sniffImageType(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toBe('image/png');
    expect(sniffImageType(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImageType(bytes('GIF89a', [1, 0]))).toBe('image/gif');
    expect(sniffImageType(bytes('GIF87a'))).toBe('image/gif');
    expect(sniffImageType(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(bytes('<?xml version="1.0"?>\n<!-- hi -->\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('image/svg+xml');
    expect(sniffImageType(bytes([0xef, 0xbb, 0xbf], '  <svg width="1">'))).toBe('image/svg+xml');
  });

  it('refuses anything else, whatever it claims to be', () => {
    expect(sniffImageType(bytes('<html><svg></svg></html>'))).toBeNull();
    expect(sniffImageType(bytes('%PDF-1.7'))).toBeNull();
    expect(sniffImageType(bytes('RIFF', [0, 0, 0, 0], 'WAVE'))).toBeNull();
    expect(sniffImageType(bytes([0x89, 0x50, 0x4e]))).toBeNull(); // truncated signature
    expect(sniffImageType(new Uint8Array())).toBeNull();
  });
});

describe('checkImageBytes', () => {
  it('refuses oversize, empty and unsupported files with the contract codes', () => {
    expect(checkImageBytes(new Uint8Array(11), 10)).toEqual({ ok: false, code: 'too-large' });
    expect(checkImageBytes(new Uint8Array())).toEqual({ ok: false, code: 'bad-image' });
    expect(checkImageBytes(bytes('hello'))).toEqual({ ok: false, code: 'unsupported-type' });
    expect(checkImageBytes(bytes([0xff, 0xd8, 0xff]), DEFAULT_MAX_FILE_BYTES)).toEqual({ ok: true, type: 'image/jpeg' });
    // a GIF header declaring 60,000 x 60,000: refused before any decode
    expect(checkImageBytes(bytes('GIF89a', [0x60, 0xea, 0x60, 0xea]))).toEqual({ ok: false, code: 'too-many-pixels' });
  });
});

describe('fileIdOf', () => {
  it('is the lower-case hex SHA-256 of the bytes', async () => {
    const b = bytes('some image bytes');
    expect(await fileIdOf(b)).toBe(createHash('sha256').update(b).digest('hex'));
  });
});

describe('base64', () => {
  it('round-trips, and rejects garbage', () => {
    const b = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);
    expect(base64ToBytes(bytesToBase64(b))).toEqual(b);
    expect(base64ToBytes('not base64!')).toBeNull();
  });
});

describe('pickVariant', () => {
  it('takes the smallest variant that stays sharp, else the full image', () => {
    expect(pickVariant(100, 4000)).toBe(256);
    expect(pickVariant(256, 4000)).toBe(256);
    expect(pickVariant(600, 4000)).toBe(1024);
    expect(pickVariant(2000, 4000)).toBeUndefined();
    expect(pickVariant(100, 200)).toBeUndefined(); // the image is smaller than any variant
    expect(pickVariant(100, 800)).toBe(256);
  });
});

describe('headerImageSize', () => {
  const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  it('reads PNG, GIF, JPEG and WebP headers without decoding', () => {
    const png = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0, 0, 0, 13], 'IHDR', be32(50_000), be32(40_000));
    expect(headerImageSize(png, 'image/png')).toEqual({ width: 50_000, height: 40_000 });
    expect(headerImageSize(bytes('GIF89a', [0x10, 0x27, 0x20, 0x4e]), 'image/gif')).toEqual({ width: 10_000, height: 20_000 });
    // SOI, APP0 (length 16), SOF0 with height 300, width 400
    const jpeg = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], new Array(14).fill(0), [0xff, 0xc0, 0, 17, 8, 1, 44, 1, 144, 3]);
    expect(headerImageSize(jpeg, 'image/jpeg')).toEqual({ width: 400, height: 300 });
    const vp8x = bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8X', [10, 0, 0, 0, 0, 0, 0, 0], [0x0f, 0x27, 0], [0x1f, 0x4e, 0]);
    expect(headerImageSize(vp8x, 'image/webp')).toEqual({ width: 10_000, height: 20_000 });
    expect(headerImageSize(bytes('<svg/>'), 'image/svg+xml')).toBeNull();
    expect(headerImageSize(bytes([0x89, 0x50]), 'image/png')).toBeNull();
  });

  it('reads the size of a real PNG', () => {
    // a 3 x 2 PNG
    const real = base64ToBytes('iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAYAAACddGYaAAAAEklEQVR4nGP4z8DwnwEJMCDxAGh6AgM2CBnFAAAAAElFTkSuQmCC');
    expect(headerImageSize(real!, 'image/png')).toEqual({ width: 3, height: 2 });
  });
});
