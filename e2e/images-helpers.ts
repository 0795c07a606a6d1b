/** Helpers for image specs: PNGs made in the page, paste and drop of files, the images test API. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { loadAuthSecret } from '../lib/auth/secret';
import { mintBoardToken } from '../lib/auth/token';
import type { BoardPage, Point } from './fixtures/board-page';
import { E2E_AUTH_SECRET } from './fixtures/ports';

export type TestImage = { id: string; fileId: string; status: 'uploading' | 'failed' | 'done' | 'none'; error: string | null; loaded: boolean };

/** A PNG of `w` x `h` filled with `color`, made by a canvas in the page: its bytes as base64. */
export function pngBase64(user: BoardPage, w: number, h: number, color: string): Promise<string> {
  return user.page.evaluate(
    async ({ w, h, color }) => {
      const c = document.createElement('canvas');
      c.width = w;
      c.height = h;
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, w, h);
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, Math.max(1, w / 4), Math.max(1, h / 4)); // a corner mark: crops are visible
      const blob = await new Promise<Blob>((resolve) => c.toBlob((b) => resolve(b!), 'image/png'));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return btoa(s);
    },
    { w, h, color },
  );
}

/** Pastes files (base64 PNGs) with a ClipboardEvent carrying a DataTransfer, as a screenshot paste does. */
export async function pasteFiles(user: BoardPage, files: string[]): Promise<void> {
  await user.page.evaluate((files) => {
    const dt = new DataTransfer();
    files.forEach((b64, i) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], `pasted-${i}.png`, { type: 'image/png' }));
    });
    document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, files);
}

/** Drops files on the canvas at `at` (canvas coordinates): dragenter, dragover, drop with a DataTransfer. */
export async function dropFiles(user: BoardPage, files: string[], at: Point): Promise<void> {
  const box = await user.canvas.boundingBox();
  if (!box) throw new Error('canvas is not visible');
  await user.page.evaluate(
    ({ files, x, y }) => {
      const dt = new DataTransfer();
      files.forEach((b64, i) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], `dropped-${i}.png`, { type: 'image/png' }));
      });
      const target = document.querySelector('[data-testid="canvas"]')!;
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, clientX: x, clientY: y, bubbles: true, cancelable: true }));
      }
    },
    { files, x: box.x + at.x, y: box.y + at.y },
  );
}

export function images(user: BoardPage): Promise<TestImage[]> {
  return user.page.evaluate(() => window.commonboard!.images.list());
}

/** Waits until the user's page has `count` images, all decoded and drawn. */
export async function expectImagesLoaded(user: BoardPage, count: number): Promise<TestImage[]> {
  await expect.poll(async () => (await images(user)).length, { timeout: 15_000 }).toBe(count);
  await user.page.evaluate(() => window.commonboard!.images.waitLoaded(undefined, 20_000));
  return images(user);
}

/** Waits until every image this page uploaded is confirmed stored by the server. */
export async function expectUploaded(user: BoardPage): Promise<void> {
  await expect.poll(async () => (await images(user)).map((i) => i.status).filter((s) => s !== 'done' && s !== 'none'), { timeout: 20_000 }).toEqual([]);
}

/** A board token minted with the e2e secret (what the app would hand that role). */
export async function mintToken(boardId: string, role: 'editor' | 'viewer'): Promise<string> {
  const secret = loadAuthSecret({ AUTH_SECRET: E2E_AUTH_SECRET }, mkdtempSync(join(tmpdir(), 'images-spec-')));
  return (await mintBoardToken(secret, { board: boardId, role, name: `spec-${role}` })).token;
}
