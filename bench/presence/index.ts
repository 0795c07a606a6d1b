/**
 * `npm run bench:presence`: live presence costs in headless Chromium against our own sync server.
 *   1. Sender: awareness frames and bytes per second sent by one user moving the mouse continuously.
 *   2. Smoothness: per-frame jumps of that user's cursor as drawn by a viewer with interpolation and
 *      by one with ?interpolate=0.
 *   2b. Follow: per-frame camera jumps of two followers (interpolated and not) while the leader pans.
 *   3. Load: frame intervals of a viewer while 50 scripted peers (real y-websocket clients) move
 *      their cursors at 10 Hz, against the same viewer with nobody else on the board.
 * Options: --seconds=N (measuring window, default 5), --peers=N (default 50), --screenshots=DIR.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import NodeWebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { sendOwnAwarenessOnly } from '../../lib/presence/own-awareness';
import { createBoard, startStack, tokenFor, type BenchBoard } from './servers';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const SECONDS = Number(arg('seconds', '5'));
const PEERS = Number(arg('peers', '50'));
const SHOTS = arg('screenshots', '');
const WARMUP_MS = 1000;

type Stats = { awarenessFrames: number; awarenessBytes: number; frames: number; bytes: number };
type Sample = [number, number, number];

/**
 * Counts the frames the page sends on its WebSockets (awareness frames start with byte 1). Page
 * scripts are strings: tsx would inject its `__name` helper into functions, which pages lack.
 */
const COUNT_SENDS = `(() => {
  const stats = { awarenessFrames: 0, awarenessBytes: 0, frames: 0, bytes: 0 };
  window.__wsStats = stats;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : data instanceof ArrayBuffer ? new Uint8Array(data) : null;
    const len = bytes ? bytes.byteLength : 0;
    stats.frames++;
    stats.bytes += len;
    if (bytes && bytes[0] === 1) { stats.awarenessFrames++; stats.awarenessBytes += len; }
    return send.call(this, data);
  };
})()`;

/** Records every animation frame's time and, if a name is given, that user's drawn cursor. */
const startSamplingScript = (name: string) => `(() => {
  window.__samples = []; window.__frames = []; window.__stop = false;
  const tick = (t) => {
    if (window.__stop) return;
    window.__frames.push(t);
    const c = ${JSON.stringify(name)} ? window.commonboard.getRemoteCursors()[${JSON.stringify(name)}] : null;
    if (c && c.drawn) window.__samples.push([t, c.drawn.x, c.drawn.y]);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

/** Records every animation frame's camera (screen px = board units × zoom). */
const START_CAMERA_SAMPLING = `(() => {
  window.__cams = []; window.__stopCams = false;
  const tick = (t) => {
    if (window.__stopCams) return;
    const c = window.commonboard.getCamera();
    window.__cams.push([t, c.x * c.zoom, c.y * c.zoom]);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

async function panWithWheel(page: Page, ms: number): Promise<void> {
  await page.mouse.move(640, 420);
  const start = Date.now();
  while (Date.now() - start < ms) {
    const dir = Math.floor((Date.now() - start) / 1500) % 2 === 0 ? 1 : -1; // back and forth
    await page.mouse.wheel(8 * dir, 4 * dir); // ~500 px/s
    await new Promise((r) => setTimeout(r, 16));
  }
}

async function openPage(browser: Browser, web: string, board: BenchBoard, name: string, extra = ''): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  if (name === 'Alice') await page.addInitScript(COUNT_SENDS);
  const sep = board.path.includes('?') ? '&' : '?';
  await page.goto(`${web}${board.path}${sep}name=${name}${extra}`);
  await page.waitForFunction("typeof window.commonboard?.whenSynced === 'function'");
  await page.evaluate('window.commonboard.whenSynced()');
  return page;
}

async function startSampling(page: Page, who: string): Promise<void> {
  await page.evaluate(startSamplingScript(who));
}

function stopSampling(page: Page): Promise<{ samples: Sample[]; frames: number[] }> {
  return page.evaluate('(() => { window.__stop = true; return { samples: window.__samples, frames: window.__frames }; })()');
}

const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] : NaN);
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

function jumps(samples: Sample[]) {
  const d: number[] = [];
  for (let i = 1; i < samples.length; i++) d.push(Math.hypot(samples[i][1] - samples[i - 1][1], samples[i][2] - samples[i - 1][2]));
  const moving = d.filter((x) => x > 0.01).length;
  return { frames: d.length, max: Math.max(...d), p95: pct(d, 0.95), movingShare: d.length ? moving / d.length : 0 };
}

function frameTimes(frames: number[]) {
  const d = frames.slice(1).map((t, i) => t - frames[i]);
  const mean = d.reduce((a, b) => a + b, 0) / Math.max(1, d.length);
  return { frames: d.length, mean, p95: pct(d, 0.95), max: Math.max(...d), over20: d.filter((x) => x > 20).length };
}

async function moveInCircle(page: Page, ms: number): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    const a = ((Date.now() - start) / 2000) * 2 * Math.PI; // one turn every 2 s, radius 200 px: ~630 px/s
    await page.mouse.move(640 + 200 * Math.cos(a), 420 + 200 * Math.sin(a));
    await new Promise((r) => setTimeout(r, 16));
  }
}

async function scriptedPeers(sync: string, web: string, board: BenchBoard, n: number) {
  const peers: { provider: WebsocketProvider; doc: Y.Doc }[] = [];
  for (let i = 0; i < n; i++) {
    const name = `Peer ${String(i + 1).padStart(2, '0')}`;
    const token = await tokenFor(web, board, name);
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(sync, encodeURIComponent(board.id), doc, {
      // ws is API-compatible with the browser WebSocket that y-websocket expects
      WebSocketPolyfill: NodeWebSocket as unknown as typeof globalThis.WebSocket,
      params: token ? { token } : {},
      disableBc: true,
    });
    sendOwnAwarenessOnly(provider); // as the app does (lib/presence/own-awareness.ts)
    peers.push({ provider, doc });
  }
  const colors = ['#e03131', '#1971c2', '#2f9e44', '#9c36b5', '#e8590c'];
  const t0 = Date.now();
  const timer = setInterval(() => {
    const t = (Date.now() - t0) / 1000;
    peers.forEach(({ provider }, i) => {
      const a = t * (0.8 + (i % 7) * 0.1) + i;
      provider.awareness.setLocalState({
        user: { name: `Peer ${String(i + 1).padStart(2, '0')}`, color: colors[i % colors.length] },
        cursor: { x: Math.round((640 + (150 + (i % 5) * 50) * Math.cos(a)) * 10) / 10, y: Math.round((400 + (100 + (i % 4) * 40) * Math.sin(a)) * 10) / 10 },
      });
    });
  }, 100);
  return {
    stop: () => {
      clearInterval(timer);
      for (const { provider, doc } of peers) {
        provider.destroy();
        doc.destroy();
      }
    },
  };
}

async function main(): Promise<void> {
  console.error('starting sync server and web app …');
  const stack = await startStack();
  console.error(`sync server log: ${stack.syncLog}`);
  process.setMaxListeners(PEERS + 20); // each y-websocket client adds an exit listener
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const board = await createBoard(stack.web);
    const alice = await openPage(browser, stack.web, board, 'Alice');
    const smooth = await openPage(browser, stack.web, board, 'Bob');
    const raw = await openPage(browser, stack.web, board, 'Carol', '&interpolate=0');
    await alice.mouse.move(640, 420);

    // 1 + 2: one user moving, two viewers sampling every frame
    console.error('measuring one moving user …');
    const moving = moveInCircle(alice, WARMUP_MS + SECONDS * 1000);
    moving.catch(() => {}); // awaited below; this only keeps an early failure from being unhandled
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const before = (await alice.evaluate('({ ...window.__wsStats })')) as Stats;
    await Promise.all([startSampling(smooth, 'Alice'), startSampling(raw, 'Alice')]);
    const t0 = Date.now();
    await moving;
    const secs = (Date.now() - t0) / 1000;
    const after = (await alice.evaluate('({ ...window.__wsStats })')) as Stats;
    const [s, r] = await Promise.all([stopSampling(smooth), stopSampling(raw)]);
    if (SHOTS) await smooth.screenshot({ path: `${SHOTS}/presence-viewer.png` });
    const frames = after.awarenessFrames - before.awarenessFrames;
    const bytes = after.awarenessBytes - before.awarenessBytes;
    console.log(`\n## One user moving the mouse continuously (${f1(secs)} s, pointer events ~60/s)`);
    console.log(`awareness frames sent: ${f1(frames / secs)}/s, ${f1(bytes / secs)} B/s, ${f1(bytes / Math.max(1, frames))} B/frame`);
    console.log(`all frames sent: ${f1((after.frames - before.frames) / secs)}/s, ${f1((after.bytes - before.bytes) / secs)} B/s`);
    const js = jumps(s.samples);
    const jr = jumps(r.samples);
    console.log(`\n## Drawn cursor per frame (cursor speed ~630 px/s)`);
    console.log('| viewer | frames | largest jump px | p95 jump px | frames where it moved |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    console.log(`| interpolated | ${js.frames} | ${f1(js.max)} | ${f1(js.p95)} | ${f1(js.movingShare * 100)} % |`);
    console.log(`| ?interpolate=0 | ${jr.frames} | ${f1(jr.max)} | ${f1(jr.p95)} | ${f1(jr.movingShare * 100)} % |`);

    // 2b: follow mode: Bob and Carol follow Alice while she pans; their cameras per frame
    console.error('measuring follow mode …');
    for (const follower of [smooth, raw]) await follower.locator('[data-testid="person"][data-user="Alice"]').click();
    const panning = panWithWheel(alice, WARMUP_MS + SECONDS * 1000);
    panning.catch(() => {}); // awaited below
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    await Promise.all([smooth.evaluate(START_CAMERA_SAMPLING), raw.evaluate(START_CAMERA_SAMPLING)]);
    await panning;
    const stopCams = (pg: Page) => pg.evaluate('(() => { window.__stopCams = true; return window.__cams; })()') as Promise<Sample[]>;
    const [cs, cr] = [jumps(await stopCams(smooth)), jumps(await stopCams(raw))];
    console.log(`\n## Follower camera per frame (leader pans ~500 px/s)`);
    console.log('| follower | frames | largest jump px | p95 jump px | frames where it moved |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    console.log(`| interpolated | ${cs.frames} | ${f1(cs.max)} | ${f1(cs.p95)} | ${f1(cs.movingShare * 100)} % |`);
    console.log(`| ?interpolate=0 | ${cr.frames} | ${f1(cr.max)} | ${f1(cr.p95)} | ${f1(cr.movingShare * 100)} % |`);
    for (const follower of [smooth, raw]) await follower.getByTestId('stop-following').click();

    // 3: frame intervals with 50 peers
    console.error(`measuring frame intervals, then with ${PEERS} scripted peers …`);
    await startSampling(smooth, '');
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const idle = frameTimes((await stopSampling(smooth)).frames);
    const peers = await scriptedPeers(stack.sync, stack.web, board, PEERS);
    await smooth.waitForFunction(`Object.keys(window.commonboard.getRemoteCursors()).length >= ${PEERS}`, undefined, { timeout: 30_000 });
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    await startSampling(smooth, '');
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const loaded = frameTimes((await stopSampling(smooth)).frames);
    if (SHOTS) await smooth.screenshot({ path: `${SHOTS}/presence-${PEERS}-peers.png` });
    const status = await smooth.evaluate('window.commonboard.getStatus()');
    const seen = await smooth.evaluate('Object.keys(window.commonboard.getRemoteCursors()).length');
    console.error(`viewer status after the load phase: ${String(status)}, remote cursors known: ${String(seen)}`);
    peers.stop();
    console.log(`\n## Viewer frame intervals (rAF, ${SECONDS} s)`);
    console.log('| remote cursors | frames | mean ms | p95 ms | max ms | frames > 20 ms |');
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
    console.log(`| 2 (idle) | ${idle.frames} | ${f1(idle.mean)} | ${f1(idle.p95)} | ${f1(idle.max)} | ${idle.over20} |`);
    console.log(`| ${PEERS + 2} moving at 10 Hz | ${loaded.frames} | ${f1(loaded.mean)} | ${f1(loaded.p95)} | ${f1(loaded.max)} | ${loaded.over20} |`);
  } finally {
    await browser.close();
    stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
