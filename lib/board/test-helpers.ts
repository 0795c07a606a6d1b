/** Test helpers: peers that exchange Yjs updates in memory, as the sync server would relay them. */
import * as Y from 'yjs';
import { openBoard, type Board } from './board';

/** Brings every doc up to date with every other (full state exchange, like SyncStep1/2). */
export function syncAll(boards: Board[]): void {
  for (const from of boards) {
    for (const to of boards) {
      if (from === to) continue;
      Y.applyUpdate(to.doc, Y.encodeStateAsUpdate(from.doc, Y.encodeStateVector(to.doc)), 'peer');
    }
  }
}

export function makePeers(count: number): Board[] {
  return Array.from({ length: count }, () => openBoard(new Y.Doc()));
}
