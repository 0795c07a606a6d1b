import { describe, expect, it } from 'vitest';
import type { FileId } from '@/lib/files/file-contract';
import { openBoard } from './board';
import { insertShapes } from './ops-bulk';
import { addImages, fitImageSize, setImageAlt, setImageCrop, type NewImage } from './ops-images';
import { updateShape } from './ops';
import { getShape, listShapes } from './read';
import { migrateBoard } from './migrations';
import { SCHEMA_VERSION, type ShapeId } from './schema';
import { createHistory } from './undo';
import { syncAll, makePeers } from './test-helpers';

const fileId = (c: string) => c.repeat(64) as FileId;
const photo = (w: number, h: number, c = 'a'): NewImage => ({ fileId: fileId(c), mime: 'image/png', bytes: 1234, naturalWidth: w, naturalHeight: h });

describe('addImages', () => {
  it('adds several images in one transaction, side by side, scaled to fit, centred on the point', () => {
    const board = openBoard();
    let transactions = 0;
    board.doc.on('afterTransaction', () => transactions++);
    const ids = addImages(board, [photo(1000, 500), photo(100, 200, 'b')], { center: { x: 0, y: 0 }, createdBy: 'Ann', maxSize: 400, gap: 10 });
    expect(transactions).toBe(1);
    const [a, b] = ids.map((id) => getShape(board, id)!);
    expect(a).toMatchObject({ type: 'image', w: 400, h: 200, fileId: fileId('a'), mime: 'image/png', bytes: 1234, naturalWidth: 1000, naturalHeight: 500, crop: null, alt: '' });
    expect(b).toMatchObject({ w: 100, h: 200 }); // already small: natural size
    expect(b.x).toBe(a.x + a.w + 10);
    expect(a.x).toBe(-255); // total 510 wide, centred
    expect(a.y + a.h / 2).toBe(0);
    expect(b.y + b.h / 2).toBe(0);
    expect(b.index > a.index).toBe(true);
  });

  it('holds only the reference: no bytes in the document', () => {
    const board = openBoard();
    const [id] = addImages(board, [photo(10, 10)], { center: { x: 0, y: 0 }, createdBy: 'Ann' });
    const keys = [...board.shapes.get(id)!.keys()].sort();
    expect(keys).toEqual(expect.arrayContaining(['fileId', 'mime', 'bytes', 'naturalWidth', 'naturalHeight', 'crop', 'alt']));
    for (const v of board.shapes.get(id)!.values()) expect(v instanceof Uint8Array).toBe(false);
  });

  it('refuses a bad file id, type or size and writes nothing', () => {
    const board = openBoard();
    const bad: NewImage[] = [
      { ...photo(10, 10), fileId: 'nope' as FileId },
      { ...photo(10, 10), mime: 'text/html' as 'image/png' },
      { ...photo(0, 10) },
    ];
    for (const img of bad) expect(() => addImages(board, [photo(5, 5), img], { center: { x: 0, y: 0 }, createdBy: 'A' })).toThrow();
    expect(listShapes(board)).toHaveLength(0);
  });

  it('is one undo step and reaches a peer', () => {
    const [a, b] = makePeers(2);
    const undo = createHistory(a);
    addImages(a, [photo(10, 10), photo(20, 20, 'c')], { center: { x: 0, y: 0 }, createdBy: 'A' });
    syncAll([a, b]);
    expect(listShapes(b).map((s) => s.type)).toEqual(['image', 'image']);
    undo.undo();
    expect(listShapes(a)).toHaveLength(0);
  });

  it('fits sizes', () => {
    expect(fitImageSize(4000, 3000, 480)).toEqual({ w: 480, h: 360 });
    expect(fitImageSize(30, 20, 480)).toEqual({ w: 30, h: 20 });
  });
});

describe('setImageCrop / setImageAlt', () => {
  it('crops keeping the scale and the kept part in place; null resets', () => {
    const board = openBoard();
    const [id] = addImages(board, [photo(200, 100)], { center: { x: 100, y: 50 }, createdBy: 'A' }); // box 0,0 200x100
    updateShape(board, id, { w: 400, h: 200 }); // 2 board units per pixel
    expect(setImageCrop(board, id, { x: 50, y: 25, w: 100, h: 50 })).toBe(true);
    expect(getShape(board, id)).toMatchObject({ x: 100, y: 50, w: 200, h: 100, crop: { x: 50, y: 25, w: 100, h: 50 } });
    setImageCrop(board, id, null);
    expect(getShape(board, id)).toMatchObject({ x: 0, y: 0, w: 400, h: 200, crop: null });
  });

  it('refuses a crop outside the image, and non-images', () => {
    const board = openBoard();
    const [id] = addImages(board, [photo(200, 100)], { center: { x: 0, y: 0 }, createdBy: 'A' });
    expect(() => setImageCrop(board, id, { x: 150, y: 0, w: 100, h: 10 })).toThrow(/crop/);
    expect(setImageCrop(board, 'missing' as ShapeId, null)).toBe(false);
    expect(setImageAlt(board, 'missing' as ShapeId, 'x')).toBe(false);
  });

  it('sets alt text; undo restores the crop', () => {
    const board = openBoard();
    const undo = createHistory(board);
    const [id] = addImages(board, [photo(200, 100)], { center: { x: 0, y: 0 }, createdBy: 'A' });
    setImageAlt(board, id, 'A cat');
    expect(getShape(board, id)).toMatchObject({ alt: 'A cat' });
    setImageCrop(board, id, { x: 0, y: 0, w: 100, h: 100 });
    undo.undo();
    expect(getShape(board, id)).toMatchObject({ crop: null, w: 200, h: 100 });
  });
});

describe('image shapes from peers, files and the clipboard', () => {
  it('skips malformed image shapes, drops a bad crop', () => {
    const board = openBoard();
    const [id] = addImages(board, [photo(200, 100)], { center: { x: 0, y: 0 }, createdBy: 'A' });
    board.shapes.get(id)!.set('crop', { x: 0, y: 0, w: 500, h: 10 });
    expect(getShape(board, id)).toMatchObject({ crop: null });
    board.shapes.get(id)!.set('fileId', '../../etc/passwd');
    expect(getShape(board, id)).toBeNull();
  });

  it('insertShapes copies images (paste, import), validating their fields', () => {
    const board = openBoard();
    const input = { id: 'x', type: 'image' as const, x: 0, y: 0, w: 10, h: 10, fileId: fileId('d'), mime: 'image/jpeg', bytes: 5, naturalWidth: 10, naturalHeight: 10, alt: 'hi', crop: { x: 1, y: 1, w: 5, h: 5 } };
    const [id] = insertShapes(board, [input], { createdBy: 'A' });
    expect(getShape(board, id)).toMatchObject({ type: 'image', fileId: fileId('d'), alt: 'hi', crop: { x: 1, y: 1, w: 5, h: 5 } });
    expect(() => insertShapes(board, [{ ...input, crop: { x: 8, y: 8, w: 5, h: 5 } }], { createdBy: 'A' })).toThrow();
    expect(() => insertShapes(board, [{ ...input, fileId: 'abc' }], { createdBy: 'A' })).toThrow();
  });

  it('migrates a v2 board to v3', () => {
    const board = openBoard();
    board.meta.set('schemaVersion', 2);
    expect(migrateBoard(board)).toBe('migrated');
    expect(board.meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(3);
  });
});
