import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ensureMeta, openBoard } from './board';
import { migrateBoard } from './migrations';
import { addShape, deleteShapes, moveShapes, updateShape, type NewShape } from './ops';
import { bringToFront } from './ops-order';
import { getShape, listShapes, observeShapes, toJSON } from './read';
import { SCHEMA_VERSION, type ShapeId } from './schema';
import { makePeers, syncAll } from './test-helpers';

const rect = (x: number, y: number, createdBy = 'Alice'): NewShape => ({ type: 'rect', x, y, w: 100, h: 80, createdBy });

function expectConverged(boards: ReturnType<typeof makePeers>) {
  const first = JSON.stringify(listShapes(boards[0]));
  for (const b of boards) expect(JSON.stringify(listShapes(b))).toBe(first);
}

describe('board ops converge across peers', () => {
  it('addShape: shapes added concurrently on three peers all appear, in one agreed order', () => {
    const peers = makePeers(3);
    peers.forEach((p, i) => addShape(p, rect(i * 10, 0, `user${i}`)));
    syncAll(peers);
    expectConverged(peers);
    expect(listShapes(peers[0])).toHaveLength(3);
    expect(listShapes(peers[0])[0]).toMatchObject({ type: 'rect', w: 100, h: 80, rotation: 0, style: { opacity: 1 } });
  });

  it('updateShape: concurrent edits of different fields both survive', () => {
    const [a, b] = makePeers(2);
    const id = addShape(a, rect(0, 0));
    syncAll([a, b]);
    updateShape(a, id, { style: { stroke: '#ff0000' } });
    updateShape(b, id, { w: 300 });
    syncAll([a, b]);
    expectConverged([a, b]);
    expect(getShape(b, id)).toMatchObject({ w: 300, style: { stroke: '#ff0000' } });
  });

  it('moveShapes: two users moving the same shape add their deltas', () => {
    const [a, b] = makePeers(2);
    const id = addShape(a, rect(10, 10));
    syncAll([a, b]);
    moveShapes(a, [id], { x: 5, y: 0 });
    syncAll([a, b]);
    moveShapes(b, [id], { x: 0, y: 7 });
    syncAll([a, b]);
    expectConverged([a, b]);
    expect(getShape(a, id)).toMatchObject({ x: 15, y: 17 });
  });

  it('deleteShapes: a delete wins over a concurrent move, and moving a deleted id is a no-op', () => {
    const [a, b] = makePeers(2);
    const id = addShape(a, rect(0, 0));
    const keep = addShape(a, rect(200, 0));
    syncAll([a, b]);
    deleteShapes(a, [id]);
    moveShapes(b, [id, keep], { x: 1, y: 1 });
    syncAll([a, b]);
    moveShapes(a, [id], { x: 1, y: 1 }); // deleted by a peer mid-drag
    syncAll([a, b]);
    expectConverged([a, b]);
    expect(listShapes(b).map((s) => s.id)).toEqual([keep]);
    expect(getShape(b, keep)).toMatchObject({ x: 201, y: 1 });
  });

  it('bringToFront: reorders by rewriting index keys only', () => {
    const [a, b] = makePeers(2);
    const first = addShape(a, rect(0, 0));
    const second = addShape(a, rect(0, 0));
    syncAll([a, b]);
    expect(listShapes(b).map((s) => s.id)).toEqual([first, second]);
    bringToFront(b, [first]);
    syncAll([a, b]);
    expectConverged([a, b]);
    expect(listShapes(a).map((s) => s.id)).toEqual([second, first]);
  });

  it('rejects invalid local input with a clear error', () => {
    const [a] = makePeers(1);
    expect(() => addShape(a, { ...rect(0, 0), w: -1 })).toThrow(/invalid shape w/);
    expect(() => addShape(a, { ...rect(Number.NaN, 0) })).toThrow(/invalid shape x/);
    expect(() => addShape(a, { ...rect(0, 0), style: { stroke: 'url(javascript:1)' } })).toThrow(/style/);
    const id = addShape(a, rect(0, 0));
    expect(() => addShape(a, { ...rect(0, 0), id })).toThrow(/already exists/);
    expect(() => moveShapes(a, [id], { x: Infinity, y: 0 })).toThrow(/delta/);
    expect(updateShape(a, 'missing' as ShapeId, { x: 1 })).toBe(false);
  });
});

describe('reading untrusted documents', () => {
  it('skips a malformed shape written by a peer instead of crashing', () => {
    const [a, b] = makePeers(2);
    const good = addShape(a, rect(0, 0));
    a.doc.transact(() => {
      const bad = new Y.Map<unknown>();
      bad.set('id', 'evil');
      bad.set('type', 'rect');
      bad.set('x', 'not a number');
      a.shapes.set('evil', bad);
      const wrongId = new Y.Map<unknown>();
      wrongId.set('id', 'other');
      a.shapes.set('spoof', wrongId);
    });
    syncAll([a, b]);
    expect(listShapes(b).map((s) => s.id)).toEqual([good]);
    expect(getShape(b, 'evil')).toBeNull();
    expect(toJSON(b).shapes).toHaveLength(1);
  });
});

describe('observeShapes', () => {
  it('reports exactly the ids a transaction touched, local and remote', () => {
    const [a, b] = makePeers(2);
    const id1 = addShape(a, rect(0, 0));
    const id2 = addShape(a, rect(0, 0));
    syncAll([a, b]);
    const seen: { ids: string[]; local: boolean }[] = [];
    const stop = observeShapes(b, (c) => seen.push({ ids: [...c.ids].sort(), local: c.local }));
    moveShapes(a, [id2], { x: 3, y: 3 });
    syncAll([a, b]);
    updateShape(b, id1, { h: 10 });
    deleteShapes(b, [id2]);
    const id3 = addShape(b, rect(1, 1));
    stop();
    moveShapes(b, [id1], { x: 1, y: 1 });
    expect(seen).toEqual([
      { ids: [id2], local: false },
      { ids: [id1], local: true },
      { ids: [id2], local: true },
      { ids: [id3], local: true },
    ]);
  });
});

describe('meta and migrations', () => {
  it('ensureMeta keeps the first createdAt and sets the schema version', () => {
    const [a, b] = makePeers(2);
    ensureMeta(a, 1000);
    syncAll([a, b]);
    ensureMeta(b, 2000);
    expect(b.meta.get('createdAt')).toBe(1000);
    expect(toJSON(b).schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('runs pending steps once and refuses documents from a newer client', () => {
    const board = openBoard();
    ensureMeta(board);
    let runs = 0;
    const steps = [{ version: SCHEMA_VERSION + 1, name: 'Test', up: () => void runs++ }];
    expect(migrateBoard(board, steps)).toBe('migrated');
    expect(migrateBoard(board, steps)).toBe('current');
    expect(runs).toBe(1);
    board.meta.set('schemaVersion', SCHEMA_VERSION + 5);
    expect(migrateBoard(board)).toBe('newer');
  });
});
