import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { openBoard, type Board } from './board';
import { diffBoards, fingerprintBoard } from './board-diff';
import { addShape, deleteShapes, moveShapes, updateShape } from './ops';
import { appendFreehandPoints } from './ops-points';
import { getNoteTree, setNoteTree } from './ops-notes';
import { boardFromState, encodeBoardState, restoreBoard, restoreShapes } from './ops-restore';
import { listShapes } from './read';
import type { ShapeId } from './schema';
import { createHistory } from './undo';
import { makePeers, syncAll } from './test-helpers';

const rect = (x: number) => ({ type: 'rect' as const, x, y: 0, w: 100, h: 80, createdBy: 'A' });
const para = (text: string) => [{ type: 'paragraph', attrs: {}, content: [{ type: 'text', text, marks: [] }] }];

/** Shapes and note contents: what a restore must make equal. */
function contents(board: Board): string {
  const notes = listShapes(board)
    .filter((s) => s.type === 'note')
    .map((s) => [s.id, getNoteTree(board, s.id)]);
  return JSON.stringify({ shapes: listShapes(board), notes });
}

function seeded(): { board: Board; ids: ShapeId[] } {
  const board = openBoard();
  const ids = [
    addShape(board, rect(0)),
    addShape(board, { type: 'note', x: 0, y: 200, w: 200, h: 200, createdBy: 'A', text: 'hello' }),
    addShape(board, { type: 'freehand', x: 0, y: 0, w: 10, h: 10, createdBy: 'A', points: [{ x: 0, y: 0, pressure: 0.5 }] }),
    addShape(board, { type: 'arrow', x: 0, y: 0, w: 10, h: 10, createdBy: 'A' }),
  ];
  return { board, ids };
}

describe('restoreBoard', () => {
  it('makes the live board equal to a version after deletes, edits, additions and note rewrites', () => {
    const { board, ids } = seeded();
    const version = boardFromState(encodeBoardState(board));
    const before = contents(board);
    deleteShapes(board, [ids[0]]);
    moveShapes(board, [ids[3]], { x: 40, y: 40 });
    updateShape(board, ids[3], { style: { stroke: '#ff0000' } });
    appendFreehandPoints(board, ids[2], [{ x: 5, y: 5, pressure: 1 }], { x: 0, y: 0, w: 10, h: 10 });
    setNoteTree(board, ids[1], para('rewritten'));
    addShape(board, rect(500));
    expect(contents(board)).not.toBe(before);

    const result = restoreBoard(board, version);
    expect(contents(board)).toBe(before);
    expect(result).toEqual({ added: 1, changed: 3, removed: 1 });
    expect(diffBoards(version, board)).toEqual({ added: [], changed: [], removed: [] });
  });

  it('writes nothing when the board already equals the version', () => {
    const { board } = seeded();
    const version = boardFromState(encodeBoardState(board));
    let updates = 0;
    board.doc.on('update', () => updates++);
    expect(restoreBoard(board, version)).toEqual({ added: 0, changed: 0, removed: 0 });
    expect(updates).toBe(0);
  });

  it('is one undo step and one update, and undo brings back what the restore replaced', () => {
    const { board, ids } = seeded();
    const version = boardFromState(encodeBoardState(board));
    deleteShapes(board, ids);
    addShape(board, rect(900));
    const afterDelete = contents(board);
    const history = createHistory(board);
    let updates = 0;
    board.doc.on('update', () => updates++);
    restoreBoard(board, version);
    expect(updates).toBe(1);
    expect(history.undo()).toBe(true);
    expect(contents(board)).toBe(afterDelete);
    expect(history.undo()).toBe(false);
  });

  it('keeps a note fragment in place so a bound editor keeps working', () => {
    const { board, ids } = seeded();
    const version = boardFromState(encodeBoardState(board));
    const fragment = board.shapes.get(ids[1])!.get('content');
    setNoteTree(board, ids[1], para('changed'));
    restoreBoard(board, version);
    expect(board.shapes.get(ids[1])!.get('content')).toBe(fragment);
    expect(JSON.stringify(getNoteTree(board, ids[1]))).toContain('hello');
  });

  it('converges with peers who draw during the restore; what they drew survives', () => {
    const [a, b, c] = makePeers(3);
    addShape(a, rect(0));
    addShape(a, rect(100));
    syncAll([a, b, c]);
    const version = boardFromState(encodeBoardState(a));
    deleteShapes(a, listShapes(a).map((s) => s.id));
    syncAll([a, b, c]);
    // concurrently: a restores, b and c draw
    restoreBoard(a, version);
    const drawnB = addShape(b, rect(300));
    const drawnC = addShape(c, rect(400));
    syncAll([a, b, c]);
    const ids = listShapes(a).map((s) => s.id);
    expect(ids).toHaveLength(4);
    expect(ids).toContain(drawnB);
    expect(ids).toContain(drawnC);
    expect(contents(b)).toBe(contents(a));
    expect(contents(c)).toBe(contents(a));
  });

  it('copies across docs: the version board is independent of the live doc', () => {
    const { board } = seeded();
    const version = boardFromState(encodeBoardState(board));
    deleteShapes(board, listShapes(board).map((s) => s.id));
    restoreBoard(board, version);
    // editing the live board afterwards must not touch the version
    moveShapes(board, listShapes(board).map((s) => s.id), { x: 1, y: 1 });
    expect(diffBoards(version, board).changed.length).toBe(4);
    expect(version.doc).not.toBe(board.doc);
  });

  it('throws on a state that does not decode', () => {
    expect(() => boardFromState(new Uint8Array([1, 2, 3, 250, 251]))).toThrow();
  });
});

describe('restoreShapes (bring this back)', () => {
  it('re-creates one deleted shape and leaves everything else alone', () => {
    const { board, ids } = seeded();
    const version = boardFromState(encodeBoardState(board));
    deleteShapes(board, [ids[0], ids[3]]);
    const added = addShape(board, rect(700));
    const result = restoreShapes(board, version, [ids[0]]);
    expect(result).toEqual({ added: 1, changed: 0, removed: 0 });
    const now = listShapes(board).map((s) => s.id);
    expect(now).toContain(ids[0]);
    expect(now).not.toContain(ids[3]);
    expect(now).toContain(added);
  });

  it('a shape absent from the version is deleted only when asked', () => {
    const { board } = seeded();
    const version = boardFromState(encodeBoardState(board));
    const added = addShape(board, rect(700));
    expect(restoreShapes(board, version, [added]).removed).toBe(0);
    expect(restoreShapes(board, version, [added], { removeMissing: true }).removed).toBe(1);
  });
});

describe('fingerprints', () => {
  it('tell added, changed and removed shapes apart, rich content included', () => {
    const { board, ids } = seeded();
    const before = fingerprintBoard(board);
    const other = boardFromState(encodeBoardState(board));
    expect(fingerprintBoard(other)).toEqual(before);
    setNoteTree(board, ids[1], para('x'));
    deleteShapes(board, [ids[0]]);
    const added = addShape(board, rect(1));
    expect(diffBoards(other, board)).toEqual({ added: [added], changed: [ids[1]], removed: [ids[0]] });
  });

  it('does not depend on the order fields were written in', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const ma = new Y.Map<unknown>();
    const mb = new Y.Map<unknown>();
    a.getMap('shapes').set('s', ma);
    b.getMap('shapes').set('s', mb);
    ma.set('x', 1);
    ma.set('y', 2);
    mb.set('y', 2);
    mb.set('x', 1);
    expect(fingerprintBoard(openBoard(a))).toEqual(fingerprintBoard(openBoard(b)));
  });
});
