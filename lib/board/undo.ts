/**
 * Per-user undo. A Y.UndoManager tracks only this client's LOCAL transactions, so undo never
 * reverts a peer's change; because every shape field is its own Y.Map key, undoing my colour change
 * leaves a peer's concurrent move of the same shape alone.
 *
 * Step boundaries: outside a gesture every transaction is its own step (captureTimeout 0). A drag
 * writes once per frame, so beginGesture() lets transactions merge until endGesture(): one drag =
 * one undo step.
 */
import * as Y from 'yjs';
import { LOCAL, type Board } from './board';

export type BoardHistory = {
  undo(): boolean;
  redo(): boolean;
  canUndo(): boolean;
  canRedo(): boolean;
  beginGesture(): void;
  endGesture(): void;
  /** Calls cb when the stacks change (for enabling toolbar buttons); returns the unsubscribe. */
  onChange(cb: () => void): () => void;
  destroy(): void;
};

export function createHistory(board: Board): BoardHistory {
  const um = new Y.UndoManager(board.shapes, { trackedOrigins: new Set([LOCAL]), captureTimeout: 0 });
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((cb) => cb());
  for (const event of ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const) um.on(event, notify);
  return {
    undo: () => um.undo() !== null,
    redo: () => um.redo() !== null,
    canUndo: () => um.canUndo(),
    canRedo: () => um.canRedo(),
    beginGesture: () => {
      um.stopCapturing();
      um.captureTimeout = Number.POSITIVE_INFINITY;
    },
    endGesture: () => {
      um.captureTimeout = 0;
      um.stopCapturing();
    },
    onChange: (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    destroy: () => {
      listeners.clear();
      um.destroy();
    },
  };
}
