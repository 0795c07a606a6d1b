/**
 * What differs between two states of a board, shape by shape: used for a version's counts (the
 * server compares it with the previous version) and for the history panel's highlights (the client
 * compares a version with the live board). A fingerprint is a 53-bit hash of a shape's stored
 * fields (rich content included), so a board's fingerprints cost a number per shape to keep.
 */
import type * as Y from 'yjs';
import type { Board } from './board';
import { storedValueText } from './ops-restore';

export type Fingerprints = Map<string, number>;
export type BoardChanges = { added: string[]; changed: string[]; removed: string[] };

/** cyrb53: a fast non-cryptographic 53-bit string hash. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export function fingerprintShape(y: Y.Map<unknown>): number {
  const keys = [...y.keys()].sort();
  let text = '';
  for (const key of keys) text += `${key}=${storedValueText(y.get(key))};`;
  return hash53(text);
}

export function fingerprintBoard(board: Board): Fingerprints {
  const out: Fingerprints = new Map();
  board.shapes.forEach((y, id) => out.set(id, fingerprintShape(y)));
  return out;
}

/** Shapes in `after` and not `before` are added; in both with another fingerprint, changed. */
export function diffFingerprints(before: Fingerprints, after: Fingerprints): BoardChanges {
  const changes: BoardChanges = { added: [], changed: [], removed: [] };
  for (const [id, print] of after) {
    const old = before.get(id);
    if (old === undefined) changes.added.push(id);
    else if (old !== print) changes.changed.push(id);
  }
  for (const id of before.keys()) if (!after.has(id)) changes.removed.push(id);
  return changes;
}

export function diffBoards(before: Board, after: Board): BoardChanges {
  return diffFingerprints(fingerprintBoard(before), fingerprintBoard(after));
}
