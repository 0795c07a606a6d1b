/**
 * Regenerates the README screenshots (docs/screenshot-light.png, docs/screenshot-dark.png): a small
 * board with every shape type, seeded through a real client, shot in light and dark mode; and
 * docs/screenshot.png: the same board seen by Ada while Ben, in another browser context, points at it
 * with a shape selected (his cursor, his selection outline and both people in the header).
 * Run: npx tsx bench/canvas/screenshots.ts (uses the same build and processes as bench:canvas).
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket as NodeWebSocket } from 'ws';
import { chromium, type Browser } from '@playwright/test';
import { addShape, ensureMeta, listShapes, openBoard, setNoteTree, type ShapeId } from '../../lib/board';
import { createBoard, startStack, tokenFor } from './stack';

function seed(doc: Y.Doc): void {
  const board = openBoard(doc);
  ensureMeta(board);
  const by = 'Ada';
  const idea = addShape(board, { type: 'rect', x: 260, y: 150, w: 200, h: 110, createdBy: by, style: { stroke: '#1971c2', fill: 'semi', strokeWidth: 2 } });
  const plan = addShape(board, { type: 'ellipse', x: 600, y: 140, w: 200, h: 130, createdBy: by, style: { stroke: '#2f9e44', fill: 'solid' } });
  const ship = addShape(board, { type: 'diamond', x: 610, y: 380, w: 180, h: 140, createdBy: by, style: { stroke: '#e03131', fill: 'semi', dash: 'dashed' } });
  const arrow = (from: ShapeId, to: ShapeId, a: { x: number; y: number }, b: { x: number; y: number }) =>
    addShape(board, { type: 'arrow', x: 0, y: 0, w: 1, h: 1, createdBy: by, points: [{ x: 0, y: 0 }, { x: 1, y: 1 }], start: { shapeId: from, anchor: a }, end: { shapeId: to, anchor: b } });
  arrow(idea, plan, { x: 1, y: 0.5 }, { x: 0, y: 0.5 });
  arrow(plan, ship, { x: 0.5, y: 1 }, { x: 0.5, y: 0 });
  addShape(board, { type: 'text', x: 270, y: 190, w: 180, h: 30, text: 'An idea', createdBy: by, style: { stroke: '#1971c2', fontSize: 24 } });
  addShape(board, { type: 'text', x: 660, y: 190, w: 120, h: 30, text: 'Plan it', createdBy: by, style: { fontSize: 24 } });
  addShape(board, { type: 'text', x: 250, y: 560, w: 320, h: 30, text: 'Sketch, connect, ship.', createdBy: by, style: { stroke: '#9c36b5', fontSize: 28 } });
  addShape(board, { type: 'line', x: 250, y: 600, w: 300, h: 0, createdBy: by, points: [{ x: 0, y: 0 }, { x: 300, y: 0 }], style: { stroke: '#9c36b5', dash: 'dotted', strokeWidth: 4 } });
  const pts = Array.from({ length: 60 }, (_, k) => ({ x: k * 4, y: 40 + Math.sin(k / 5) * 35, pressure: 0.4 + 0.3 * Math.sin(k / 9) }));
  addShape(board, { type: 'freehand', x: 280, y: 330, w: 236, h: 70, points: pts, createdBy: by, style: { stroke: '#f08c00', strokeWidth: 4 } });
  const n1 = addShape(board, { type: 'note', x: 900, y: 150, w: 220, h: 200, createdBy: by });
  setNoteTree(board, n1, [
    { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Next steps', marks: [] }] },
    { type: 'bulletList', attrs: {}, content: ['Share the link', 'Invite the team', 'Export as SVG'].map((t) => ({ type: 'listItem', attrs: {}, content: [{ type: 'paragraph', attrs: {}, content: [{ type: 'text', text: t, marks: [] }] }] })) },
  ]);
  const n2 = addShape(board, { type: 'note', x: 900, y: 390, w: 220, h: 160, color: '#a5d8ff', createdBy: by });
  setNoteTree(board, n2, [{ type: 'paragraph', attrs: {}, content: [{ type: 'text', text: 'Self-hosted, real-time, yours.', marks: [{ type: 'bold', attrs: {} }] }] }]);
}

async function shootTwoUsers(browser: Browser, boardUrl: string, count: number): Promise<void> {
  const open = async (name: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 }, colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(`${boardUrl}&name=${name}`);
    await page.waitForFunction((n) => (window.commonboard?.getShapes().length ?? 0) >= n, count);
    return { context, page };
  };
  const ada = await open('Ada');
  const ben = await open('Ben');
  const canvas = await ben.page.getByTestId('canvas').boundingBox();
  if (!canvas) throw new Error('no canvas on the page');
  // Ben selects the diamond, then rests his pointer next to it (moves in steps: cursors glide)
  await ben.page.mouse.click(canvas.x + 700, canvas.y + 450);
  await ben.page.mouse.move(canvas.x + 560, canvas.y + 470, { steps: 12 });
  await ada.page.locator('[data-testid="remote-cursor"][data-user="Ben"]').waitFor();
  await ada.page.getByTestId('remote-selection').first().waitFor();
  await ada.page.waitForTimeout(600); // the cursor's glide settles
  await ada.page.screenshot({ path: 'docs/screenshot.png' });
  console.log('wrote docs/screenshot.png (Ada\'s view, Ben pointing with the diamond selected)');
  await ben.context.close();
  await ada.context.close();
}

async function main(): Promise<void> {
  const stack = await startStack();
  try {
    const board = await createBoard(stack.web);
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(stack.sync, encodeURIComponent(board.id), doc, {
      WebSocketPolyfill: NodeWebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: await tokenFor(stack.web, board, 'seed') },
      disableBc: true,
    });
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    seed(doc);
    const count = listShapes(openBoard(doc)).length;
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    for (const theme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, colorScheme: theme });
      await page.goto(`${stack.web}${board.path}&name=Ada`);
      await page.waitForFunction((n) => (window.commonboard?.getShapes().length ?? 0) >= n, count);
      await page.waitForFunction(() => performance.getEntriesByName('commonboard:first-render').length > 0);
      await page.waitForTimeout(800); // note previews and fonts
      await page.screenshot({ path: `docs/screenshot-${theme}.png` });
      console.log(`wrote docs/screenshot-${theme}.png (${theme} from prefers-color-scheme: ${await page.evaluate(() => document.documentElement.classList.contains('dark'))})`);
      await page.close();
    }
    await shootTwoUsers(browser, `${stack.web}${board.path}`, count);
    await browser.close();
    provider.destroy();
    doc.destroy(); // its awareness interval would keep the process alive
  } finally {
    stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
