/**
 * Images benchmark (issue 17, browser side): `npm run bench:images`. Starts its own sync server and
 * `next start` (bench/shared/app-stack.ts) and, in headless Chromium, measures:
 *   - paste of a ~5 MB photo-like PNG by one user -> drawn (decoded from the server) for a second user;
 *   - a board of BENCH_IMAGES (default 500) distinct images of mixed sizes, opened by a third user with
 *     no local copies: first frame after sync, time until every visible image is drawn, pan frame times
 *     at 100% and at a zoom where all images are visible, and the decoded-bitmap memory held.
 * Writes reports/bench-images.json. Numbers only, no pass/fail. Headless Chromium here has no GPU.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { createBoard, startStack } from '../shared/app-stack';

const COUNT = Number(process.env.BENCH_IMAGES ?? 500);
const PER_DROP = 25;
const DIST_DIR = process.env.NEXT_DIST_DIR || '.next';

type Stats = { frames: number; p50: number; p95: number; max: number };

function stats(values: number[]): Stats {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => (v.length ? v[Math.min(v.length - 1, Math.floor(q * v.length))] : NaN);
  return { frames: v.length, p50: +at(0.5).toFixed(2), p95: +at(0.95).toFixed(2), max: +(v[v.length - 1] ?? NaN).toFixed(2) };
}

/** rAF deltas while `act` runs (a string: tsx would wrap named functions in a helper the page lacks). */
async function frames(page: Page, act: () => Promise<void>): Promise<Stats> {
  await page.evaluate(`(() => {
    window.__deltas = [];
    window.__stop = false;
    let last = 0;
    const tick = (t) => { if (last) window.__deltas.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  await act();
  const deltas = await page.evaluate(`(() => { window.__stop = true; return window.__deltas; })()`);
  return stats(deltas as number[]);
}

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => typeof window.commonboard?.whenSynced === 'function', null, { timeout: 60_000 });
  await page.evaluate(() => window.commonboard!.whenSynced());
}

/** Pastes files made in the page: `spec` per file = [width, height, noisy]; returns when they are on the board. */
async function addFiles(page: Page, specs: [number, number, boolean][], drop: { x: number; y: number } | null): Promise<void> {
  await page.evaluate(
    `(async ({ specs, drop }) => {
      const dt = new DataTransfer();
      for (const [w, h, noisy] of specs) {
        const c = document.createElement('canvas');
        c.width = w; c.height = h;
        const ctx = c.getContext('2d');
        const g = ctx.createLinearGradient(0, 0, w, h);
        g.addColorStop(0, 'hsl(' + Math.floor(Math.random() * 360) + ',70%,60%)');
        g.addColorStop(1, 'hsl(' + Math.floor(Math.random() * 360) + ',70%,40%)');
        ctx.fillStyle = g; ctx.fillRect(0, 0, w, h);
        if (noisy) {
          const img = ctx.getImageData(0, 0, w, h);
          for (let i = 0; i < img.data.length; i += 4) { img.data[i] ^= (Math.random() * 255) | 0; img.data[i + 1] ^= (Math.random() * 255) | 0; }
          ctx.putImageData(img, 0, 0);
        }
        const blob = await new Promise((r) => c.toBlob(r, noisy ? 'image/png' : 'image/jpeg', 0.85));
        dt.items.add(new File([blob], 'f.' + (noisy ? 'png' : 'jpg'), { type: blob.type }));
      }
      if (drop) {
        const target = document.querySelector('[data-testid="canvas"]');
        for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, clientX: drop.x, clientY: drop.y, bubbles: true, cancelable: true }));
      } else document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    })(${JSON.stringify({ specs, drop })})`,
  );
}

async function main(): Promise<void> {
  process.env.BENCH_DIST_DIR ??= DIST_DIR;
  const stack = await startStack({ distDir: DIST_DIR, name: 'images', syncEnv: { FILE_UPLOADS_PER_MINUTE: '100000' } });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--enable-precise-memory-info'] });
  try {
    const board = await createBoard(stack.web);
    const url = `${stack.web}${board.path}`;
    const viewport = { width: 1280, height: 800 };
    const alice = await (await browser.newContext({ viewport })).newPage();
    const bob = await (await browser.newContext({ viewport })).newPage();
    await open(alice, `${url}&name=Alice`);
    await open(bob, `${url}&name=Bob`);

    // 1. a ~5 MB photo-like PNG pasted by Alice, until Bob has drawn it
    await addFiles(alice, [[1400, 950, true]], null);
    await alice.waitForFunction(() => window.commonboard!.images.list().length === 1, null, { timeout: 60_000 });
    const bytes = await alice.evaluate(() => (window.commonboard!.getShapes()[0] as unknown as { bytes: number }).bytes);
    // measured from the moment the shape exists on Alice's page (sniff, hash and decode done)
    const t0 = Date.now();
    await bob.waitForFunction(() => window.commonboard!.images.list()[0]?.loaded === true, null, { timeout: 60_000, polling: 10 });
    const pasteToOtherMs = Date.now() - t0;

    // 2. COUNT distinct images of mixed sizes, dropped in rows
    const sizes: [number, number][] = [[320, 240], [800, 600], [1600, 1200], [600, 900]];
    for (let i = 0, row = 0; i < COUNT; i += PER_DROP, row++) {
      const n = Math.min(PER_DROP, COUNT - i);
      const specs = Array.from({ length: n }, (_, k): [number, number, boolean] => [...sizes[(i + k) % sizes.length], false]);
      await addFiles(alice, specs, { x: 640, y: 900 + row * 520 });
      await alice.waitForFunction((want) => window.commonboard!.images.list().length === want, 1 + i + n, { timeout: 120_000 });
    }
    await alice.waitForFunction(() => window.commonboard!.images.pendingUploads() === 0, null, { timeout: 600_000, polling: 500 });

    // 3. Carol opens the board with no local copies
    const carol = await (await browser.newContext({ viewport })).newPage();
    const started = Date.now();
    await carol.goto(`${url}&name=Carol`);
    await carol.waitForFunction(() => performance.getEntriesByName('commonboard:first-render').length > 0, null, { timeout: 120_000 });
    const firstFrameMs = await carol.evaluate(() => performance.getEntriesByName('commonboard:first-render')[0].startTime);
    const visibleLoaded = async () => {
      const waited = carol.waitForFunction(
        () => {
          const cb = window.commonboard!;
          const cam = cb.getCamera();
          const canvas = document.querySelector('[data-testid="canvas"]')!; // the drawn area, not the window
          const [w, h] = [canvas.clientWidth / cam.zoom, canvas.clientHeight / cam.zoom];
          const inView = new Set(cb.getShapes().filter((s) => s.x + s.w > -cam.x && s.x < -cam.x + w && s.y + s.h > -cam.y && s.y < -cam.y + h).map((s) => s.id));
          return cb.images.list().filter((i) => inView.has(i.id)).every((i) => i.loaded);
        },
        null,
        { timeout: 120_000, polling: 250 },
      );
      await waited.catch(async (err: unknown) => {
        const state = await carol.evaluate(() => {
          const list = window.commonboard!.images.list();
          return { images: list.length, loaded: list.filter((i) => i.loaded).length, memory: window.commonboard!.images.bitmapMemory(), camera: window.commonboard!.getCamera() };
        });
        console.error('not all visible images were drawn:', JSON.stringify(state));
        throw err;
      });
    };
    await visibleLoaded();
    const visibleLoadedMs = Date.now() - started;
    const box = (await carol.getByTestId('canvas').boundingBox())!;
    await carol.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const pan = async () => {
      for (let i = 0; i < 120; i++) await carol.mouse.wheel(i < 60 ? 40 : -40, i < 60 ? 15 : -15);
    };
    const pan100 = await frames(carol, pan);
    await carol.keyboard.press('Shift+1'); // zoom to fit (down to the minimum zoom, 10%)
    await carol.waitForTimeout(300);
    const fitZoom = await carol.evaluate(() => window.commonboard!.getCamera().zoom);
    const fitStarted = Date.now();
    await visibleLoaded();
    const fitLoadedMs = Date.now() - fitStarted;
    const panFit = await frames(carol, pan);
    const memory = await carol.evaluate(() => ({
      bitmapBytes: window.commonboard!.images.bitmapMemory(),
      jsHeapBytes: (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null,
    }));

    const report = {
      pastedBytes: bytes,
      pasteToOtherUserMs: pasteToOtherMs,
      images: COUNT + 1,
      open: { firstFrameMs: Math.round(firstFrameMs), visibleImagesDrawnMs: visibleLoadedMs },
      panAt100: pan100,
      fitZoom: +fitZoom.toFixed(3),
      fitAllImagesDrawnMs: fitLoadedMs,
      visibleAtFit: await carol.evaluate(() => {
        const cam = window.commonboard!.getCamera();
        const c = document.querySelector('[data-testid="canvas"]')!;
        return window.commonboard!.getShapes().filter((s) => s.x + s.w > -cam.x && s.x < -cam.x + c.clientWidth / cam.zoom && s.y + s.h > -cam.y && s.y < -cam.y + c.clientHeight / cam.zoom).length;
      }),
      panAtFit: panFit,
      memory,
    };
    console.log(JSON.stringify(report, null, 2));
    mkdirSync('reports', { recursive: true });
    writeFileSync('reports/bench-images.json', JSON.stringify(report, null, 2));
  } finally {
    await browser.close();
    stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
