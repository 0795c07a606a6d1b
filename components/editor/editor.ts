/**
 * createEditor(): the one Editor of a mounted board (its surface is documented in types.ts). It owns
 * the shape cache (kept in step with the doc), the selection, the in-place edit and the tools, and
 * it runs the frame step: tools commit their drag, then views draw.
 *
 * The undo history belongs to the board, not to the editor: one per Board (boardUndo), created by
 * the first editor mounted on it and destroyed with the board's doc. The canvas swaps editors when
 * it shows a version of the board read-only and back (components/history); the user's live undo
 * stack must survive that, so dispose() only closes an open gesture and leaves the history alone.
 */
import { createHistory, deleteShapes, getShape, observeShapes, ShapeCache, transact, updateShape, type Board, type BoardHistory, type Shape } from '@/lib/board';
import { hitShape } from '@/lib/board/hit-test';
import { shapeBounds } from '@/lib/board/shape-geometry';
import { boxContains, unionBoxes, type Box } from '@/lib/geometry/box';
import type { Vec } from '@/lib/geometry/vec';
import { useUiStore } from '@/lib/ui/ui-store';
import { useEditorStore } from './editor-store';
import { Interaction } from './tools/interaction';
import type { Editing, Editor, RunOptions } from './types';

export type EditorOptions = {
  board: Board;
  userName: () => string;
  editable: () => boolean;
  measureText: (text: string, fontSize: number) => { w: number; h: number };
  /** Schedules the frame step (requestAnimationFrame in the browser; tests pass their own). */
  schedule?: (step: () => void) => () => void;
};

const rafSchedule = (step: () => void) => {
  const id = requestAnimationFrame(step);
  return () => cancelAnimationFrame(id);
};

/** A board's undo history and whether a gesture is merging writes into its current step. */
type BoardUndo = { history: BoardHistory; gestureOpen: boolean };

/** One history per board; Y.UndoManager destroys itself with the doc, so nothing here needs freeing. */
const undoByBoard = new WeakMap<Board, BoardUndo>();

function boardUndo(board: Board): BoardUndo {
  let undo = undoByBoard.get(board);
  if (!undo) undoByBoard.set(board, (undo = { history: createHistory(board), gestureOpen: false }));
  return undo;
}

/** `fn`'s writes as one LOCAL transaction: one undo step, or part of the open gesture's step. */
function runOn<T>(board: Board, undo: BoardUndo, fn: () => T, opts: RunOptions): T {
  const { history } = undo;
  if (opts.gesture) {
    if (!undo.gestureOpen) history.beginGesture();
    undo.gestureOpen = true;
    return transact(board, fn);
  }
  if (!undo.gestureOpen) return transact(board, fn);
  // a separate step in the middle of a gesture: close it, write, reopen
  history.endGesture();
  try {
    return transact(board, fn);
  } finally {
    history.beginGesture();
  }
}

function endGestureOf(undo: BoardUndo): void {
  if (!undo.gestureOpen) return;
  undo.gestureOpen = false;
  undo.history.endGesture();
}

/**
 * One undoable step on a board whose editor is not mounted right now (the canvas shows a version
 * of it): the same history and step rules as `editor.run` of that board's editor.
 */
export function runOnBoard<T>(board: Board, fn: () => T): T {
  return runOn(board, boardUndo(board), fn, {});
}

/** The candidates' query box for a point hit test. */
const around = (p: Vec, t: number): Box => ({ x: p.x - t, y: p.y - t, w: 2 * t, h: 2 * t });

export function createEditor(options: EditorOptions): Editor {
  const { board } = options;
  const schedule = options.schedule ?? rafSchedule;
  const cache = new ShapeCache();
  cache.reset(board);
  const undo = boardUndo(board);
  const { history } = undo;
  const drawers = new Set<() => void>();
  let size = { width: 0, height: 0 };
  let cancelFrame: (() => void) | null = null;
  let flushing = false;

  const store = useEditorStore;
  const syncHistory = () => store.setState({ canUndo: history.canUndo(), canRedo: history.canRedo() });
  const stopHistory = history.onChange(syncHistory);
  const stopShapes = observeShapes(board, ({ ids }) => {
    if (cache.apply(board, ids)) editor.requestFrame();
  });

  const selectedShapes = (): Shape[] => cache.pick(useUiStore.getState().selection);

  const editor: Editor = {
    board,
    cache,
    tools: null as unknown as Editor['tools'], // set below: the tools take the editor
    userName: options.userName,
    editable: options.editable,
    measureText: options.measureText,
    viewport: () => size,
    setViewport: (width, height) => {
      size = { width, height };
    },

    requestFrame: () => {
      if (!flushing && !cancelFrame) cancelFrame = schedule(() => editor.flush());
    },
    onFrame: (draw) => {
      drawers.add(draw);
      return () => drawers.delete(draw);
    },
    flush: () => {
      cancelFrame?.();
      cancelFrame = null;
      flushing = true; // the drag's own writes need no further frame: this one draws them
      try {
        editor.tools.flushFrame(); // may write the doc, which updates the cache synchronously
      } finally {
        flushing = false;
      }
      for (const draw of drawers) draw();
    },

    run: <T,>(fn: () => T, opts: RunOptions = {}): T => runOn(board, undo, fn, opts),
    endGesture: () => endGestureOf(undo),
    undo: () => {
      if (editor.editable()) history.undo();
    },
    redo: () => {
      if (editor.editable()) history.redo();
    },

    getSelection: () => useUiStore.getState().selection,
    select: (ids) => useUiStore.getState().select(ids),
    selectedShapes,
    editableSelection: () => (editor.editable() ? selectedShapes().filter((s) => !s.locked).map((s) => s.id) : []),

    topmostAt: (p: Vec, tolerance: number, accept?: (s: Shape) => boolean) => {
      const near = cache.query(around(p, tolerance));
      for (let i = near.length - 1; i >= 0; i--) {
        const s = near[i];
        if ((!accept || accept(s)) && hitShape(s, p, tolerance, cache.lookup)) return s;
      }
      return null;
    },
    shapesAt: (p: Vec, tolerance: number) => cache.query(around(p, tolerance)).filter((s) => hitShape(s, p, tolerance, cache.lookup)),
    shapesIn: (box: Box) => cache.query(box).filter((s) => boxContains(box, s)),
    boundsOf: (shapes) => unionBoxes(shapes.map((s) => shapeBounds(s, cache.lookup))),

    getEditing: () => store.getState().editing,
    startEditing: (kind, id) => {
      const current = store.getState().editing;
      if (current?.kind === kind && current.id === id) return;
      if (current) editor.stopEditing();
      if (kind === 'text' && !undo.gestureOpen) {
        history.beginGesture(); // the typing is one undo step (with the creation, if the text tool made it)
        undo.gestureOpen = true;
      }
      store.setState({ editing: { kind, id } satisfies Editing });
    },
    stopEditing: () => {
      const current = store.getState().editing;
      if (!current) return;
      store.setState({ editing: null });
      if (current.kind !== 'text') return; // a note's typing has its own undo (Tiptap)
      const shape = getShape(board, current.id);
      if (shape?.type === 'text' && shape.text.trim() === '') editor.run(() => deleteShapes(board, [shape.id]), { gesture: true });
      editor.endGesture();
    },
    setText: (id, text, fontSize) => {
      editor.run(() => updateShape(board, id, { text, ...options.measureText(text, fontSize) }), { gesture: true });
    },

    dispose: () => {
      cancelFrame?.();
      cancelFrame = null;
      editor.tools.cancel();
      stopShapes();
      stopHistory();
      endGestureOf(undo); // a step left open would swallow the next editor's first change
      drawers.clear();
      if (store.getState().editor === editor) store.setState({ editor: null, canUndo: false, canRedo: false, editing: null });
    },
  };
  (editor as { tools: Editor['tools'] }).tools = new Interaction(editor);
  store.setState({ editor, canUndo: history.canUndo(), canRedo: history.canRedo(), editing: null });
  return editor;
}
