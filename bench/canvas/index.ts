/**
 * Canvas benchmark: `npm run bench:canvas`. Starts its own sync server and `next start`, seeds a board
 * with 10,000 mixed shapes through a real client, opens it in headless Chromium and prints:
 *   - load: navigation start -> performance mark 'commonboard:first-render' (first frame after sync);
 *   - pan/zoom and drag-100 frame times (requestAnimationFrame deltas; p50/p95/max) and the canvas'
 *     own render times (components/canvas records them);
 *   - first-load JS of the board route: the script chunks the page loads, gzipped with zlib.
 * Writes reports/bench-canvas.json. Numbers only, no pass/fail. Headless Chromium here has no GPU:
 * all canvas drawing is software-rasterised on a shared CPU.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import { LATE_MS, measure, TARGET_MS, VSYNC_JITTER_MS, type Stats } from './frames';
import { installLoadProbe, readLoadBreakdown } from './load-probe';
import { seedBoard, PITCH } from './seed';
import { createBoard, DIST_DIR, startStack, tokenFor } from './stack';

const SHAPES = Number(process.env.BENCH_SHAPES ?? 10_000);

type Api = { getSelection(): string[]; getCamera(): { zoom: number }; getShapes(): unknown[] };

async function firstLoadJs(page: Page, origin: string, run: () => Promise<void>): Promise<{ files: number; rawKB: number; gzipKB: number }> {
  const bodies: Promise<Buffer | null>[] = [];
  page.on('response', (res) => {
    if (res.request().resourceType() === 'script' && res.url().startsWith(origin)) bodies.push(res.body().catch(() => null));
  });
  await run();
  const files = (await Promise.all(bodies)).filter((b): b is Buffer => b !== null);
  const raw = files.reduce((n, b) => n + b.length, 0);
  const gz = files.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
  return { files: files.length, rawKB: +(raw / 1024).toFixed(1), gzipKB: +(gz / 1024).toFixed(1) };
}

async function main(): Promise<void> {
  console.log(`canvas bench: ${SHAPES} shapes, build ${DIST_DIR}; headless Chromium WITHOUT GPU (software raster, shared CPU)`);
  const stack = await startStack();
  try {
    const board = await createBoard(stack.web);
    const tokens: [string, string] = [await tokenFor(stack.web, board, 'seed'), await tokenFor(stack.web, board, 'check')];
    const t0 = performance.now();
    await seedBoard(stack.sync, board.id, tokens, SHAPES);
    console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await installLoadProbe(page);
    const url = `${stack.web}${board.path}&name=Bench`;
    const js = await firstLoadJs(page, stack.web, async () => {
      await page.goto(url);
      await page.waitForFunction(() => performance.getEntriesByName('commonboard:first-render').length > 0, null, { timeout: 120_000 });
    });
    const loadMs = await page.evaluate(() => performance.getEntriesByName('commonboard:first-render')[0].startTime);
    const syncedMs = await page.evaluate(() => performance.getEntriesByName('commonboard:synced')[0]?.startTime ?? NaN);
    const loaded = await page.evaluate(() => (window.commonboard as unknown as Api).getShapes().length);
    const breakdown = await readLoadBreakdown(page);
    await page.waitForTimeout(500); // let the post-load work (fonts, overlays) settle before measuring frames

    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    const cx = canvas.x + canvas.width / 2;
    const cy = canvas.y + canvas.height / 2;
    await page.mouse.move(cx, cy);
    let minZoom = 1;
    const pan = await measure(page, 120, async () => {
      for (let i = 0; i < 120; i++) {
        await page.mouse.wheel(i < 60 ? 40 : -30, i < 60 ? 25 : -20);
        await page.waitForTimeout(16);
      }
    });
    const zoom = await measure(page, 120, async () => {
      await page.keyboard.down('Control');
      for (let i = 0; i < 120; i++) {
        await page.mouse.wheel(0, i < 60 ? 60 : -60); // out to the whole board, then back in
        if (i === 59) minZoom = await page.evaluate(() => window.commonboard!.getCamera().zoom);
        await page.waitForTimeout(16);
      }
      await page.keyboard.up('Control');
    });
    const zoomedOut = minZoom;

    // select about 100 shapes with a marquee (13 x 8 grid cells at zoom 0.64), then drag them;
    // a reload puts the camera back at the board's origin
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName('commonboard:first-render').length > 0, null, { timeout: 120_000 });
    await page.waitForTimeout(500);
    await page.getByTestId('zoom-out').click();
    await page.getByTestId('zoom-out').click();
    const camera = await page.evaluate(() => window.commonboard!.getCamera());
    const toScreen = (bx: number, by: number) => ({ x: canvas.x + (bx + camera.x) * camera.zoom, y: canvas.y + (by + camera.y) * camera.zoom });
    // clear of the style panel (left) and the toolbars (top)
    const col0 = Math.ceil((230 / camera.zoom - camera.x) / PITCH);
    const row0 = Math.ceil((140 / camera.zoom - camera.y) / PITCH);
    const a = toScreen(col0 * PITCH + 5, row0 * PITCH + 5); // a gap between cells: empty board
    const b = toScreen((col0 + 13) * PITCH + 2, (row0 + 8) * PITCH + 2); // 13 x 8 cells = 104 shapes
    await page.keyboard.press('v');
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 10 });
    await page.mouse.up();
    const selected = await page.evaluate(() => (window.commonboard as unknown as Api).getSelection().length);
    const grab = toScreen(col0 * PITCH + 15 + 10, row0 * PITCH + 15 + 10); // inside the first rectangle
    const drag = await measure(page, 120, async () => {
      await page.mouse.move(grab.x, grab.y);
      await page.mouse.down();
      for (let i = 1; i <= 120; i++) {
        await page.mouse.move(grab.x + i * 3, grab.y + i * 2);
        await page.waitForTimeout(16);
      }
      await page.mouse.up();
    });
    await browser.close();

    const result = {
      date: new Date().toISOString(),
      shapes: SHAPES,
      loadedShapes: loaded,
      gpu: false,
      note: 'headless Chromium without GPU, software raster, shared 2-core machine; frame = rAF delta, render = drawScene CPU time',
      loadMs: +loadMs.toFixed(0),
      panFrameMs: pan.frame,
      panRenderMs: pan.render,
      zoomFrameMs: zoom.frame,
      zoomRenderMs: zoom.render,
      zoomedOutTo: +zoomedOut.toFixed(3),
      syncedMs: +syncedMs.toFixed(0),
      loadBreakdown: breakdown,
      dragSelected: selected,
      dragFrameMs: drag.frame,
      dragRenderMs: drag.render,
      firstLoadJs: js,
      targets: { frameP95Ms: TARGET_MS, vsyncJitterMs: VSYNC_JITTER_MS, lateFrameMs: +LATE_MS.toFixed(1), loadMs: 1500, firstLoadJsGzipKB: 300 },
    };
    const row = (name: string, s: Stats, r: Stats) =>
      `${name.padEnd(22)} ${String(s.frames).padStart(6)} ${String(s.p50).padStart(8)} ${String(s.p95).padStart(8)} ${String(s.max).padStart(8)} ${`${s.latePct}%`.padStart(7)}   render p50 ${r.p50} / p95 ${r.p95} ms  ${s.p95 <= TARGET_MS + VSYNC_JITTER_MS ? 'OK' : 'over target'}`;
    console.log('');
    console.log(`${'frame times (ms)'.padEnd(22)} ${'frames'.padStart(6)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)} ${'late'.padStart(7)}`);
    console.log(row('pan', pan.frame, pan.render));
    console.log(row(`zoom (out to ${result.zoomedOutTo}x)`, zoom.frame, zoom.render));
    console.log(row(`drag ${selected} shapes`, drag.frame, drag.render));
    console.log('');
    console.log(`load (navigation -> first full render of ${loaded} shapes): ${result.loadMs} ms (synced at ${result.syncedMs} ms)  ${result.loadMs <= 1500 ? 'OK' : 'over 1.5 s target'}`);
    console.log(`  where it went (ms since navigation): ${Object.entries(breakdown).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`first-load JS of /b/[boardId]: ${js.files} scripts, ${js.rawKB} KB raw, ${js.gzipKB} KB gzipped  ${js.gzipKB <= 300 ? 'OK' : 'over 300 KB aim'}`);
    console.log('(no GPU: headless Chromium rasterises in software on this shared CPU)');
    mkdirSync('reports', { recursive: true });
    writeFileSync('reports/bench-canvas.json', `${JSON.stringify(result, null, 2)}\n`);
    console.log('wrote reports/bench-canvas.json');
  } finally {
    stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
