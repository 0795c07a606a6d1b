/**
 * `npm run bench:notes`: a board with NOTES rich-text notes (a heading, a paragraph with marks and
 * a two-item list each), written by a scripted y-websocket peer, opened in headless Chromium.
 * Prints the open time (navigation until every note is parsed and a frame is painted) and the
 * frame times while panning with the wheel, at zoom 1 and zoomed out until every note is on screen.
 * The zoom-1 pan runs with the rich note previews (components/notes/note-previews.tsx) and with
 * ?previews=0, alternating twice, to show what the DOM previews cost on the same machine at the same time.
 * Frame time = the gap between consecutive requestAnimationFrame callbacks while a wheel event is
 * sent every frame (vsync caps it at ~16.7 ms; longer gaps are dropped frames).
 */
import { chromium, type Page } from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { mintBoardToken } from '../../lib/auth/token';
import { addShape, openBoard, setNoteTree } from '../../lib/board';
import { startStack } from './stack';

const NOTES = Number(process.env.NOTES ?? 500);
const PAN_FRAMES = 240;
const COLORS = ['#fde68a', '#fbcfe8', '#bfdbfe', '#bbf7d0', '#ddd6fe'];

function noteContent(i: number) {
  const text = (t: string, marks: { type: string; attrs: Record<string, unknown> }[] = []) => ({ type: 'text', text: t, marks });
  const para = (...content: unknown[]) => ({ type: 'paragraph', attrs: {}, content });
  return [
    { type: 'heading', attrs: { level: 2 }, content: [text(`Idea ${i + 1}`)] },
    para(text('Ship the '), text('sticky notes', [{ type: 'bold', attrs: {} }]), text(' with rich text and live carets.')),
    { type: 'bulletList', attrs: {}, content: [{ type: 'listItem', attrs: {}, content: [para(text('measure it'))] }, { type: 'listItem', attrs: {}, content: [para(text('write it down'))] }] },
  ];
}

async function seed(sync: string, secret: string, boardId: string): Promise<void> {
  const { token } = await mintBoardToken(new TextEncoder().encode(secret), { board: boardId, role: 'editor', name: 'bench' });
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(sync, encodeURIComponent(boardId), doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  const board = openBoard(doc);
  const cols = Math.ceil(Math.sqrt(NOTES * 1.6));
  // batches keep each update well under the server's message limit
  for (let start = 0; start < NOTES; start += 50) {
    doc.transact(() => {
      for (let i = start; i < Math.min(NOTES, start + 50); i++) {
        const id = addShape(board, { type: 'note', x: (i % cols) * 240, y: Math.floor(i / cols) * 240, w: 200, h: 200, color: COLORS[i % COLORS.length], createdBy: 'bench' });
        setNoteTree(board, id, noteContent(i));
      }
    });
  }
  // wait until the server has everything: a second client syncs and counts
  const check = new Y.Doc();
  const reader = new WebsocketProvider(sync, encodeURIComponent(boardId), check, { params: { token }, WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket });
  await new Promise<void>((resolve) => {
    const poll = () => (check.getMap('shapes').size >= NOTES ? resolve() : setTimeout(poll, 100));
    poll();
  });
  for (const p of [provider, reader]) p.destroy();
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function panFrames(page: Page): Promise<number[]> {
  const box = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  // a plain string: tsx would wrap named closures in a __name() helper the page does not have
  return page.evaluate(`new Promise((resolve) => {
    const canvas = document.querySelector('[data-testid="canvas"]');
    const r = canvas.getBoundingClientRect();
    const gaps = [];
    let last = 0;
    let n = 0;
    const step = (t) => {
      if (last) gaps.push(t - last);
      last = t;
      const dir = Math.floor(n / 60) % 2 === 0 ? 1 : -1; // back and forth, staying over the notes
      canvas.dispatchEvent(new WheelEvent('wheel', { deltaX: 12 * dir, deltaY: 6 * dir, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));
      if (++n < ${PAN_FRAMES}) requestAnimationFrame(step);
      else resolve(gaps);
    };
    requestAnimationFrame(step);
  })`) as Promise<number[]>;
}

async function main(): Promise<void> {
  const stack = await startStack();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const res = await fetch(`${stack.web}/api/boards`, { method: 'POST' });
    if (res.status !== 201) throw new Error(`POST /api/boards: HTTP ${res.status}`);
    const { boardId, editUrl } = (await res.json()) as { boardId: string; editUrl: string };
    const t0 = Date.now();
    await seed(stack.sync, stack.secret, boardId);
    console.log(`seeded ${NOTES} notes in ${Date.now() - t0} ms`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const url = new URL(editUrl, stack.web);
    url.searchParams.set('name', 'Bench');
    const opened = Date.now();
    await page.goto(url.toString());
    await page.waitForFunction((n) => (window.commonboard?.getShapes().length ?? 0) >= n, NOTES, { timeout: 60_000, polling: 50 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const openMs = Date.now() - opened;
    const notes = await page.evaluate(() => (window.commonboard as unknown as { getNotes(): unknown[] }).getNotes().length);

    const renderTimes = (pg: Page) => pg.evaluate(() => (window.commonboard as unknown as { getRenderTimes?(): number[] }).getRenderTimes?.() ?? []);
    const previewsAtOne = await page.evaluate(() => document.querySelectorAll('[data-testid="note-preview"]').length);

    // the same board with the rich previews off (?previews=0: canvas-painted plain text only); the two
    // pans at zoom 1 alternate, twice, so load from other processes falls on both alike
    const plain = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    url.searchParams.set('previews', '0');
    await plain.goto(url.toString());
    await plain.waitForFunction((n) => (window.commonboard?.getShapes().length ?? 0) >= n, NOTES, { timeout: 60_000, polling: 50 });
    const atOne: number[] = [];
    const atOnePlain: number[] = [];
    for (let round = 0; round < 2; round++) {
      atOne.push(...(await panFrames(page)));
      atOnePlain.push(...(await panFrames(plain)));
    }
    const renderOne = await renderTimes(page);
    const renderPlain = await renderTimes(plain);
    await plain.close();

    await page.keyboard.press('Shift+Digit1'); // zoom to fit: every note on screen
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const zoom = await page.evaluate(() => window.commonboard!.getCamera().zoom);
    const atFit = await panFrames(page);
    const renderFit = await renderTimes(page);
    if (process.env.SHOTS) await page.screenshot({ path: `${process.env.SHOTS}/notes-bench-fit.png` });

    const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
    const row = (label: string, gaps: number[], render: number[]) =>
      `| ${label} | ${gaps.length} | ${ms(pct(gaps, 50))} | ${ms(pct(gaps, 95))} | ${ms(Math.max(...gaps))} | ${gaps.filter((g) => g > 20).length} | ${ms(pct(render, 50))} / ${ms(pct(render, 95))} |`;
    console.log(`\n## ${notes} notes: open ${openMs} ms (navigation until all notes parsed and painted)`);
    console.log('| pan | frames | frame p50 ms | frame p95 ms | max ms | frames > 20 ms | canvas render p50 / p95 ms |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    console.log(row(`zoom 1 (about 20 notes visible, ${previewsAtOne} rich previews)`, atOne, renderOne));
    console.log(row('zoom 1, ?previews=0 (canvas plain text only)', atOnePlain, renderPlain));
    console.log(row(`zoom ${zoom.toFixed(2)} (all ${notes} visible)`, atFit, renderFit));
  } finally {
    await browser.close();
    stack.stop();
  }
}

main().then(
  // a straggling handle (a child's pipe, a socket) must not keep the finished benchmark alive
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
