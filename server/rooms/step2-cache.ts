/**
 * Sync step 2 replies, cached per document version. Joiners of one board ask with the same state
 * vector (empty for a fresh tab, identical after a restart), and encoding a 5 MB board per joiner
 * made a join storm cost one full encode each. Here the frame is encoded once per version and the
 * same buffer goes to every joiner that asks with the same vector.
 *
 * The cache is dropped by any transaction that changed the doc's state (new structs or deletions);
 * transactions that changed nothing (a joiner's empty step 2) keep it.
 */
import * as Y from 'yjs';
import { encodeSyncStep2 } from '../protocol/messages';

/** Vectors longer than this are per-client enough that caching them only costs memory. */
const MAX_KEY_BYTES = 256;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

function changedState(tr: Y.Transaction): boolean {
  if (tr.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of tr.afterState) if (tr.beforeState.get(client) !== clock) return true;
  return false;
}

/** One cached reply: the vector it answers and the encoded frame. */
interface Slot {
  key: Uint8Array;
  frame: Uint8Array;
}

export class Step2Cache {
  /** Fresh clients (empty vector) and the last other vector asked: a mix of both must not thrash. */
  private empty: Slot | null = null;
  private other: Slot | null = null;
  /** Full encodes so far (requests minus this were served from the cache); tests read it. */
  encodes = 0;

  constructor(private readonly doc: Y.Doc) {
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if ((this.empty !== null || this.other !== null) && changedState(tr)) this.clear();
    });
  }

  /** The step 2 frame answering `stateVector` for the doc as it is now (shared: never mutate it). */
  reply(stateVector: Uint8Array): Uint8Array {
    const isEmpty = stateVector.byteLength === 1 && stateVector[0] === 0;
    const slot = isEmpty ? this.empty : this.other;
    if (slot !== null && sameBytes(slot.key, stateVector)) return slot.frame;
    this.encodes++;
    const frame = encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector));
    if (isEmpty) this.empty = { key: stateVector, frame };
    else if (stateVector.byteLength <= MAX_KEY_BYTES) this.other = { key: stateVector, frame };
    return frame;
  }

  clear(): void {
    this.empty = null;
    this.other = null;
  }
}
