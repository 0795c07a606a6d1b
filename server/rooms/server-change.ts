/**
 * A change the server makes to a board (a restore) as ONE Yjs update: `fn` runs in one
 * transaction on a copy of the room's doc, and what that transaction wrote comes back as an
 * update, which the room then handles like a client's (size check, apply, persist, broadcast).
 *
 * Why a copy and not the live doc: the live doc stays untouched until the change is known, so the
 * board-size limit is checked BEFORE anything is applied (as for a client's update), and an `fn`
 * that throws halfway changes nothing. The price is one encode + decode of the board per change;
 * server changes are rare (a restore), so it is paid where it is cheap to pay.
 */
import * as Y from 'yjs';
import { openBoard, type Board } from '../../lib/board/board';
import { SERVER_ORIGIN } from './room-types';

/** The update `fn` makes to `doc`'s current state, or null if it wrote nothing. Throws what `fn` throws. */
export function serverChangeUpdate(doc: Y.Doc, fn: (board: Board) => void): Uint8Array | null {
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    const written: Uint8Array[] = [];
    copy.on('update', (u: Uint8Array) => written.push(u));
    // ops that open their own transaction (restoreBoard) join this one: one update
    copy.transact(() => fn(openBoard(copy)), SERVER_ORIGIN);
    if (written.length === 0) return null;
    return written.length === 1 ? written[0] : Y.mergeUpdates(written);
  } finally {
    copy.destroy();
  }
}
