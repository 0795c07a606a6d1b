/**
 * Seeds a board with N mixed shapes through a real y-websocket client (the same lib/board ops the
 * app uses), on a square grid with a fixed pitch, then waits until a second client sees them all.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket as NodeWebSocket } from 'ws';
import { addShape, ensureMeta, listShapes, openBoard, type Board, type NewShape, type ShapeId } from '../../lib/board';

export const PITCH = 100;
const COLOURS = ['#1e293b', '#e03131', '#1971c2', '#2f9e44', '#f08c00', '#9c36b5'];

/** Shape i of the grid: mostly geo shapes, plus lines, arrows (bound to a neighbour), strokes, text and notes. */
function shapeAt(i: number, cols: number, prev: ShapeId | null): NewShape {
  const x = (i % cols) * PITCH + 15;
  const y = Math.floor(i / cols) * PITCH + 15;
  const style = { stroke: COLOURS[i % COLOURS.length], fill: (['none', 'semi', 'solid'] as const)[i % 3] };
  const base = { x, y, w: 70, h: 70, createdBy: 'bench', style };
  switch (i % 10) {
    case 0:
    case 1:
    case 2:
      return { ...base, type: 'rect' };
    case 3:
      return { ...base, type: 'ellipse' };
    case 4:
      return { ...base, type: 'diamond' };
    case 5:
      return { ...base, type: 'line', points: [{ x: 0, y: 0 }, { x: 35, y: 60 }, { x: 70, y: 20 }] };
    case 6:
      return { ...base, h: 0, y: y + 35, type: 'arrow', points: [{ x: 0, y: 0 }, { x: 70, y: 0 }], start: prev ? { shapeId: prev, anchor: { x: 0.5, y: 0.5 } } : null };
    case 7: {
      const points = Array.from({ length: 24 }, (_, k) => ({ x: k * 3, y: 35 + Math.sin(k / 3) * 30, pressure: 0.5 }));
      return { ...base, type: 'freehand', points };
    }
    case 8:
      return { ...base, h: 25, type: 'text', text: `Shape ${i}` };
    default:
      return { ...base, type: 'note', text: `Note ${i}: a few words of text`, style: { ...style, fontSize: 12 } };
  }
}

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Fixed-width z-order keys (valid fractional-index keys, in order). The default, "above the top
 * shape", rescans the board per insert, and its keys grow by a digit every few dozen appends.
 */
function indexKey(i: number): string {
  let out = '';
  for (let n = i, k = 0; k < 3; k++, n = Math.floor(n / 62)) out = DIGITS[n % 62] + out;
  return `${out}1`;
}

function connect(sync: string, boardId: string, token: string, doc: Y.Doc): WebsocketProvider {
  return new WebsocketProvider(sync, encodeURIComponent(boardId), doc, {
    // ws is API-compatible with the browser WebSocket that y-websocket expects
    WebSocketPolyfill: NodeWebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  });
}

function synced(p: WebsocketProvider): Promise<void> {
  return new Promise((resolve) => (p.synced ? resolve() : p.once('sync', () => resolve())));
}

export async function seedBoard(sync: string, boardId: string, tokens: [string, string], count: number): Promise<void> {
  await seedWith(sync, boardId, tokens, count, (board) => {
    const cols = Math.ceil(Math.sqrt(count));
    let prev: ShapeId | null = null;
    for (let start = 0; start < count; start += 1000) {
      board.doc.transact(() => {
        for (let i = start; i < Math.min(count, start + 1000); i++) {
          const id = addShape(board, { ...shapeAt(i, cols, i % 10 === 6 ? prev : null), index: indexKey(i) });
          if (i % 10 === 4) prev = id; // arrows bind to the diamond before them
        }
      });
    }
  });
}

/**
 * Connects a writer, lets `write` add shapes to the board (lib/board ops), then waits until a second
 * client sees `expected` shapes: the server has (and serves) everything.
 */
export async function seedWith(sync: string, boardId: string, tokens: [string, string], expected: number, write: (board: Board) => void): Promise<void> {
  const doc = new Y.Doc();
  const board = openBoard(doc);
  const writer = connect(sync, boardId, tokens[0], doc);
  await synced(writer);
  ensureMeta(board);
  write(board);
  const check = new Y.Doc();
  const reader = connect(sync, boardId, tokens[1], check);
  const deadline = Date.now() + 120_000;
  while (listShapes(openBoard(check)).length < expected) {
    if (Date.now() > deadline) throw new Error('seeding did not converge within 120 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  reader.destroy();
  writer.destroy();
  // each doc's awareness keeps an interval until the doc is destroyed: the bench would never exit
  check.destroy();
  doc.destroy();
}
