/**
 * Where the load time goes: an init script records, in page time, when the board's WebSocket was
 * created, opened, and when each frame arrived (and its size); resource timing gives the scripts and
 * the token request. Read after the first render mark; bench-only, the app is not changed for it.
 */
import type { Page } from '@playwright/test';

// a string, not a function: tsx would wrap named inner functions in a __name helper the page lacks
const PROBE = `(() => {
  const Native = window.WebSocket;
  const log = (window.__wsLog = []);
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      log.push({ at: performance.now(), what: 'create', bytes: 0 });
      this.addEventListener('open', () => log.push({ at: performance.now(), what: 'open', bytes: 0 }));
      this.addEventListener('message', (e) => {
        const bytes = e.data instanceof ArrayBuffer ? e.data.byteLength : e.data.size ?? String(e.data).length;
        log.push({ at: performance.now(), what: 'message', bytes });
      });
    }
  };
})()`;

export async function installLoadProbe(page: Page): Promise<void> {
  await page.addInitScript(PROBE);
}

export type LoadBreakdown = {
  domContentLoadedMs: number;
  scriptsDoneMs: number;
  tokenDoneMs: number;
  wsCreatedMs: number;
  wsOpenMs: number;
  /** The largest frame received before the synced mark: the server's sync step 2 (the board). */
  boardFrameMs: number;
  boardFrameKB: number;
  syncedMs: number;
  firstRenderMs: number;
};

// also a string (see PROBE)
const READ = `(() => {
  const log = window.__wsLog || [];
  const mark = (name) => (performance.getEntriesByName(name)[0] || { startTime: NaN }).startTime;
  const synced = mark('commonboard:synced');
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const scripts = resources.filter((r) => r.initiatorType === 'script');
  const token = resources.find((r) => r.name.includes('/api/token'));
  const frames = log.filter((e) => e.what === 'message' && e.at <= synced);
  const board = frames.reduce((a, e) => (a && a.bytes >= e.bytes ? a : e), null);
  const first = (what) => (log.find((e) => e.what === what) || { at: NaN }).at;
  return {
    domContentLoadedMs: Math.round(nav ? nav.domContentLoadedEventEnd : NaN),
    scriptsDoneMs: Math.round(Math.max(0, ...scripts.map((r) => r.responseEnd))),
    tokenDoneMs: Math.round(token ? token.responseEnd : NaN),
    wsCreatedMs: Math.round(first('create')),
    wsOpenMs: Math.round(first('open')),
    boardFrameMs: Math.round(board ? board.at : NaN),
    boardFrameKB: board ? Math.round(board.bytes / 1024) : NaN,
    syncedMs: Math.round(synced),
    firstRenderMs: Math.round(mark('commonboard:first-render')),
  };
})()`;

export async function readLoadBreakdown(page: Page): Promise<LoadBreakdown> {
  return (await page.evaluate(READ)) as LoadBreakdown;
}
