/**
 * In-page probes for bench:images. Page code is passed as strings: tsx would wrap named inner
 * functions in a __name helper the page lacks (as in bench/canvas). Times are wall-clock ms
 * (performance.timeOrigin + now()), comparable across pages of one browser on one machine.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import type { BenchImage } from './fixtures';

/** Records when the image of `fileId` shows up on this page, is uploaded (its status 'done'), is decoded and the frame after. */
const WATCH = (fileId: string, until: 'done' | 'drawn') => `(() => {
  const w = (window.__watch = { seenAt: 0, doneAt: 0, loadedAt: 0, drawnAt: 0 });
  const now = () => performance.timeOrigin + performance.now();
  const timer = setInterval(() => {
    const img = window.commonboard.images.list().find((i) => i.fileId === ${JSON.stringify(fileId)});
    if (!img) return;
    if (!w.seenAt) w.seenAt = now();
    if (img.status === 'done' && !w.doneAt) w.doneAt = now();
    if (img.loaded && !w.loadedAt) {
      w.loadedAt = now();
      // the canvas draws in its next animation frame: this callback runs in that frame
      requestAnimationFrame(() => { w.drawnAt = now(); });
    }
    if (w.drawnAt && (w.doneAt || ${JSON.stringify(until)} === 'drawn')) clearInterval(timer);
  }, 4);
})()`;

type Watch = { seenAt: number; doneAt: number; loadedAt: number; drawnAt: number };

export type PasteRound = {
  bytes: number;
  /** paste -> the shape is on A's board (sniff, hash, decode in A) */
  aShapeMs: number;
  /** paste -> A's upload confirmed (PUT incl. the server's decode + variants) */
  aUploadedMs: number;
  /** paste -> the shape arrived at B (placeholder drawn) */
  bShapeMs: number;
  /** paste -> B decoded a bitmap of it, and the frame after (drawn) */
  bLoadedMs: number;
  bDrawnMs: number;
};

/** A pastes `img` (a ClipboardEvent on document, as e2e/images-helpers.ts pasteFiles); until B has drawn it. */
export async function pasteToOther(a: Page, b: Page, img: BenchImage): Promise<PasteRound> {
  // the File is built before the clock starts: moving 5 MB into the page is not part of a paste
  await a.evaluate(
    ({ b64, type }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      (window as unknown as { __paste: File }).__paste = new File([bytes], 'photo.jpg', { type });
    },
    { b64: img.bytes.toString('base64'), type: img.type },
  );
  await a.evaluate(WATCH(img.fileId, 'done'));
  await b.evaluate(WATCH(img.fileId, 'drawn'));
  const t0 = await a.evaluate(`(() => {
    const dt = new DataTransfer();
    dt.items.add(window.__paste);
    const t = performance.timeOrigin + performance.now();
    document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    return t;
  })()`);
  // predicates as functions: a string would be eval()ed in the page, which the app's CSP forbids
  try {
    await b.waitForFunction(() => (window as unknown as { __watch: Watch }).__watch.drawnAt > 0, null, { timeout: 60_000, polling: 20 });
    await a.waitForFunction(() => (window as unknown as { __watch: Watch }).__watch.doneAt > 0, null, { timeout: 60_000, polling: 20 });
  } catch (err) {
    const state = async (p: Page) => p.evaluate(() => ({ watch: (window as unknown as { __watch: Watch }).__watch, images: window.commonboard!.images.list(), toast: document.body.innerText.slice(0, 300) }));
    throw new Error(`paste not seen: A ${JSON.stringify(await state(a))} B ${JSON.stringify(await state(b))}`, { cause: err });
  }
  const wa = (await a.evaluate('window.__watch')) as Watch;
  const wb = (await b.evaluate('window.__watch')) as Watch;
  const since = (t: number) => Math.round(t - (t0 as number));
  return { bytes: img.bytes.length, aShapeMs: since(wa.seenAt), aUploadedMs: since(wa.doneAt), bShapeMs: since(wb.seenAt), bLoadedMs: since(wb.loadedAt), bDrawnMs: since(wb.drawnAt) };
}

/**
 * Ms since navigation until every image in the view is decoded, plus one frame (drawn), or NaN
 * after `timeoutMs`. "In the view": the shape's box intersects the camera's (docs/testing.md: screen =
 * (board + camera) x zoom).
 */
export async function visibleDrawn(page: Page, timeoutMs = 120_000): Promise<{ atMs: number; visible: number; missing?: string[] }> {
  return (await page.evaluate(`new Promise((resolve) => {
    const started = performance.now();
    const check = () => {
      const cb = window.commonboard;
      const cam = cb.getCamera();
      // the canvas' box, not the window's: the painter culls to the canvas (toolbars may shrink it)
      const box = document.querySelector('[data-testid="canvas"]').getBoundingClientRect();
      const w = box.width / cam.zoom, h = box.height / cam.zoom;
      const inView = new Set(cb.getShapes().filter((s) => s.x + s.w > -cam.x && s.x < -cam.x + w && s.y + s.h > -cam.y && s.y < -cam.y + h).map((s) => s.id));
      const images = cb.images.list().filter((i) => inView.has(i.id));
      if (images.length > 0 && images.every((i) => i.loaded)) {
        requestAnimationFrame(() => resolve({ atMs: Math.round(performance.now()), visible: images.length }));
      } else if (performance.now() - started > ${timeoutMs}) resolve({ atMs: NaN, visible: images.length, missing: images.filter((i) => !i.loaded).map((i) => i.id) });
      else setTimeout(check, 10);
    };
    check();
  })`)) as { atMs: number; visible: number; missing?: string[] };
}

export type Memory = {
  /** CDP Performance.getMetrics of the page: V8 heap of the page's isolate (used / total), MB */
  jsHeapUsedMB: number;
  jsHeapTotalMB: number;
  /** window.commonboard.images.bitmapMemory(): decoded ImageBitmaps the cache holds (w x h x 4), MB */
  bitmapCacheMB: number;
  /** VmRSS (/proc/<pid>/status) of this browser's processes by type (CDP SystemInfo.getProcessInfo), MB */
  rssMB: Record<string, number[]>;
};

const mb = (bytes: number) => +(bytes / 1024 / 1024).toFixed(1);

function rssKB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN; // the process exited meanwhile
  }
}

export async function memory(browser: Browser, page: Page): Promise<Memory> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  const bitmap = (await page.evaluate(() => window.commonboard!.images.bitmapMemory())) as number;
  const bcdp = await browser.newBrowserCDPSession();
  // not in Playwright's protocol typings for every version: the answer's shape is CDP's ProcessInfo[]
  const info = (await bcdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  await bcdp.detach();
  const rssMB: Record<string, number[]> = {};
  for (const p of info.processInfo) {
    const kb = rssKB(p.id);
    if (Number.isFinite(kb)) (rssMB[p.type] ??= []).push(+(kb / 1024).toFixed(1));
  }
  for (const list of Object.values(rssMB)) list.sort((x, y) => y - x);
  return { jsHeapUsedMB: mb(metric('JSHeapUsedSize')), jsHeapTotalMB: mb(metric('JSHeapTotalSize')), bitmapCacheMB: mb(bitmap), rssMB };
}
