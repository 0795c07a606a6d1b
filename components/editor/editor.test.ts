import { afterEach, describe, expect, it } from 'vitest';
import { addShape, getShape, listShapes, type Board, type ShapeId } from '@/lib/board';
import { useUiStore } from '@/lib/ui/ui-store';
import { reorderSelection, setShapeColor, styleSelection, toggleLockSelection } from './commands';
import { click, drag, key, testEditor } from './test-editor';
import type { Editor } from './types';

let editor: Editor | null = null;
afterEach(() => editor?.dispose());

const rect = (board: Board, x: number, y: number, w = 100, h = 80): ShapeId => addShape(board, { type: 'rect', x, y, w, h, createdBy: 't' });

function setup(): Editor {
  editor = testEditor();
  return editor;
}

describe('hit testing (the one topmost-under-the-pointer and the one marquee)', () => {
  it('topmostAt returns the topmost shape under a point, through the spatial index', () => {
    const e = setup();
    const a = rect(e.board, 0, 0);
    const b = rect(e.board, 50, 50);
    expect(e.topmostAt({ x: 75, y: 75 }, 0)?.id).toBe(b);
    expect(e.topmostAt({ x: 10, y: 10 }, 0)?.id).toBe(a);
    expect(e.topmostAt({ x: 500, y: 500 }, 4)).toBeNull();
    expect(e.topmostAt({ x: 75, y: 75 }, 0, (s) => s.id !== b)?.id).toBe(a);
    expect(e.shapesAt({ x: 75, y: 75 }, 0).map((s) => s.id)).toEqual([a, b]);
  });

  it('shapesIn returns the shapes fully inside a box', () => {
    const e = setup();
    const a = rect(e.board, 0, 0);
    rect(e.board, 50, 50);
    expect(e.shapesIn({ x: -10, y: -10, w: 130, h: 130 }).map((s) => s.id)).toEqual([a]);
    expect(e.shapesIn({ x: -10, y: -10, w: 300, h: 300 })).toHaveLength(2);
  });
});

describe('tools: pointer sequences in, document and selection out', () => {
  it('creates a rectangle by drag, selects it, returns to the select tool; one undo step removes it', () => {
    const e = setup();
    useUiStore.getState().setTool('rectangle');
    drag(e, { x: 100, y: 100 }, { x: 300, y: 250 });
    const shapes = listShapes(e.board);
    expect(shapes).toHaveLength(1);
    expect(shapes[0]).toMatchObject({ type: 'rect', x: 100, y: 100, w: 200, h: 150 });
    expect(e.getSelection()).toEqual([shapes[0].id]);
    expect(useUiStore.getState().tool).toBe('select');
    e.undo();
    expect(listShapes(e.board)).toHaveLength(0);
    e.redo();
    expect(listShapes(e.board)[0]).toMatchObject({ w: 200, h: 150 });
  });

  it('selects by click (the topmost shape), shift-click adds, a click on the board clears', () => {
    const e = setup();
    const a = rect(e.board, 0, 0);
    const b = rect(e.board, 50, 50);
    const c = rect(e.board, 400, 0);
    click(e, { x: 75, y: 75 });
    expect(e.getSelection()).toEqual([b]);
    click(e, { x: 10, y: 10 });
    expect(e.getSelection()).toEqual([a]);
    click(e, { x: 450, y: 40 }, { shift: true });
    expect(e.getSelection()).toEqual([a, c]);
    click(e, { x: 700, y: 700 });
    expect(e.getSelection()).toEqual([]);
  });

  it('marquee selects the shapes fully inside the brush, never a locked one', () => {
    const e = setup();
    const a = rect(e.board, 0, 0);
    rect(e.board, 150, 0); // only partly inside
    const locked = rect(e.board, 0, 100, 50, 50);
    e.select([locked]);
    toggleLockSelection(e);
    drag(e, { x: -20, y: -20 }, { x: 200, y: 200 });
    expect(e.getSelection()).toEqual([a]);
  });

  it('moves the selection by drag, committed once per frame, as one undo step', () => {
    const e = setup();
    const a = rect(e.board, 0, 0);
    drag(e, { x: 50, y: 40 }, { x: 100, y: 70 }, { mod: true }, 5); // mod: no snapping
    expect(getShape(e.board, a)).toMatchObject({ x: 50, y: 30 });
    e.undo();
    expect(getShape(e.board, a)).toMatchObject({ x: 0, y: 0 });
  });

  it('resizes by the south-east handle and rotates by the rotate handle, each one undo step', () => {
    const e = setup();
    const a = rect(e.board, 100, 100, 100, 80);
    click(e, { x: 150, y: 140 });
    drag(e, { x: 200, y: 180 }, { x: 260, y: 220 }, { mod: true });
    expect(getShape(e.board, a)).toMatchObject({ x: 100, y: 100, w: 160, h: 120 });
    // the rotate handle sits 24 px above the top edge's middle
    drag(e, { x: 180, y: 76 }, { x: 400, y: 160 });
    expect(getShape(e.board, a)!.rotation).not.toBe(0);
    e.undo();
    expect(getShape(e.board, a)).toMatchObject({ rotation: 0, w: 160 });
    e.undo();
    expect(getShape(e.board, a)).toMatchObject({ w: 100, h: 80 });
  });

  it('deletes the selection with Delete; undo and redo with the keyboard', () => {
    const e = setup();
    const a = rect(e.board, 0, 0);
    click(e, { x: 10, y: 10 });
    expect(key(e, 'Delete')).toBe(true);
    expect(getShape(e.board, a)).toBeNull();
    key(e, 'z', { ctrlKey: true });
    expect(getShape(e.board, a)).not.toBeNull();
    key(e, 'z', { ctrlKey: true, shiftKey: true });
    expect(getShape(e.board, a)).toBeNull();
  });

  it('a locked shape cannot be moved; lock is undone in one step', () => {
    const e = setup();
    const a = rect(e.board, 0, 0);
    click(e, { x: 10, y: 10 });
    key(e, 'L', { shiftKey: true });
    expect(getShape(e.board, a)?.locked).toBe(true);
    drag(e, { x: 10, y: 10 }, { x: 110, y: 60 });
    expect(getShape(e.board, a)).toMatchObject({ x: 0, y: 0 });
    expect(listShapes(e.board)).toHaveLength(1);
  });
});

describe('shape tools', () => {
  it('the eraser deletes the unlocked shapes it touched on release, as one undo step', () => {
    const e = setup();
    const a = rect(e.board, 0, 0);
    const b = rect(e.board, 200, 0);
    const far = rect(e.board, 0, 400);
    useUiStore.getState().setTool('eraser');
    drag(e, { x: 50, y: 40 }, { x: 250, y: 40 }, {}, 10);
    expect(listShapes(e.board).map((s) => s.id)).toEqual([far]);
    e.undo();
    expect(listShapes(e.board).map((s) => s.id)).toEqual([a, b, far]);
  });

  it('the pen draws one freehand stroke per drag, one undo step', () => {
    const e = setup();
    useUiStore.getState().setTool('pen');
    drag(e, { x: 0, y: 0 }, { x: 100, y: 50 }, {}, 8);
    const [stroke] = listShapes(e.board);
    expect(stroke.type).toBe('freehand');
    expect(stroke.type === 'freehand' && stroke.points.length).toBe(9);
    e.undo();
    expect(listShapes(e.board)).toHaveLength(0);
  });
});

describe('commands: each is one undo step', () => {
  it('lock/unlock is one undo step (failed before the editor: the transaction had no LOCAL origin)', () => {
    const e = setup();
    const a = rect(e.board, 0, 0);
    const b = rect(e.board, 200, 0);
    e.select([a, b]);
    toggleLockSelection(e);
    expect([getShape(e.board, a)?.locked, getShape(e.board, b)?.locked]).toEqual([true, true]);
    e.undo();
    expect([getShape(e.board, a)?.locked, getShape(e.board, b)?.locked]).toEqual([false, false]);
    e.redo();
    toggleLockSelection(e); // all locked: unlocks
    expect(getShape(e.board, a)?.locked).toBe(false);
    e.undo();
    expect(getShape(e.board, a)?.locked).toBe(true);
  });

  it('a style change of several shapes is one undo step; a slider drag (gesture) too', () => {
    const e = setup();
    const a = rect(e.board, 0, 0);
    const b = rect(e.board, 200, 0);
    e.select([a, b]);
    styleSelection(e, { stroke: '#e03131' });
    expect(getShape(e.board, b)?.style.stroke).toBe('#e03131');
    for (const opacity of [0.9, 0.7, 0.5]) styleSelection(e, { opacity }, { gesture: true });
    e.endGesture();
    e.undo();
    expect([getShape(e.board, a)?.style.opacity, getShape(e.board, b)?.style.opacity]).toEqual([1, 1]);
    expect(getShape(e.board, a)?.style.stroke).toBe('#e03131');
    e.undo();
    expect([getShape(e.board, a)?.style.stroke, getShape(e.board, b)?.style.stroke]).toEqual(['#1e293b', '#1e293b']);
  });

  it('a z-order change of several shapes is one undo step', () => {
    const e = setup();
    const a = rect(e.board, 0, 0);
    const b = rect(e.board, 10, 0);
    const c = rect(e.board, 20, 0);
    const order = () => listShapes(e.board).map((s) => s.id);
    e.select([a, b]);
    reorderSelection(e, 'bring-to-front');
    expect(order()).toEqual([c, a, b]);
    e.undo();
    expect(order()).toEqual([a, b, c]);
  });
});

describe('note colour', () => {
  it("a note's colour change goes through the editor: one undo step", () => {
    const e = setup();
    const note = addShape(e.board, { type: 'note', x: 0, y: 0, w: 200, h: 200, createdBy: 't' });
    const before = (getShape(e.board, note) as { color: string }).color;
    setShapeColor(e, note, '#fbcfe8');
    expect(getShape(e.board, note)).toMatchObject({ color: '#fbcfe8' });
    e.undo();
    expect(getShape(e.board, note)).toMatchObject({ color: before });
  });
});

describe('what is being edited: one owner for text and notes', () => {
  it('the text tool creates and edits a text: creation and typing are one undo step', () => {
    const e = setup();
    useUiStore.getState().setTool('text');
    click(e, { x: 100, y: 100 });
    const editing = e.getEditing();
    expect(editing?.kind).toBe('text');
    e.setText(editing!.id, 'h', 20);
    e.setText(editing!.id, 'hi', 20);
    e.stopEditing();
    expect(getShape(e.board, editing!.id)).toMatchObject({ type: 'text', text: 'hi' });
    e.undo();
    expect(listShapes(e.board)).toHaveLength(0);
  });

  it('opening a note ends the text edit (an empty text is deleted); opening a text closes the note', () => {
    const e = setup();
    const note = addShape(e.board, { type: 'note', x: 300, y: 0, w: 200, h: 200, createdBy: 't' });
    useUiStore.getState().setTool('text');
    click(e, { x: 100, y: 100 });
    const text = e.getEditing()!.id;
    e.tools.doubleClick({ x: 400, y: 100 });
    expect(e.getEditing()).toEqual({ kind: 'note', id: note });
    expect(getShape(e.board, text)).toBeNull(); // left empty
    const kept = addShape(e.board, { type: 'text', x: 0, y: 300, w: 40, h: 25, text: 'keep', createdBy: 't' });
    e.tools.doubleClick({ x: 10, y: 310 });
    expect(e.getEditing()).toEqual({ kind: 'text', id: kept });
    e.stopEditing();
    expect(e.getEditing()).toBeNull();
    expect(getShape(e.board, kept)).toMatchObject({ text: 'keep' });
  });
});
