/**
 * Sync step 2 replies, cached per document version. Joiners of one board ask with the same state
 * vector (empty for a fresh tab, identical after a restart), and encoding a 5 MB board per joiner
 * made a join storm cost one full encode each. Here the frame is encoded once per version and
 * state vector, and the same buffer goes to every joiner that asks with the same vector.
 *
 * The full-state answer (empty vector) has its own slot. Other vectors share a small LRU bounded
 * in bytes, so clients alternating between a few vectors (a viewer can do that on purpose) are
 * answered from it instead of forcing an encode per request.
 *
 * The cache is dropped by any transaction that changed the doc's state (new structs or deletions),
 * i.e. the doc version is part of every key; transactions that changed nothing keep it.
 */
import * as Y from 'yjs';
import { encodeSyncStep2 } from '../protocol/messages';

/** Vectors longer than this are per-client enough that caching them only costs memory. */
const MAX_KEY_BYTES = 4096;
/** Bytes of cached non-empty-vector replies per board (keys + frames). */
export const STEP2_CACHE_BYTES = 8 * 1024 * 1024;
const MAX_ENTRIES = 64;

function changedState(tr: Y.Transaction): boolean {
  if (tr.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of tr.afterState) if (tr.beforeState.get(client) !== clock) return true;
  return false;
}

/** The full-state answer: `[0]` is the encoding of an empty state vector. */
const isEmptyVector = (sv: Uint8Array): boolean => sv.byteLength === 1 && sv[0] === 0;

export class Step2Cache {
  private empty: Uint8Array | null = null;
  /** latin1 string of the vector bytes -> frame; Map order is recency (oldest first). */
  private readonly lru = new Map<string, Uint8Array>();
  private lruBytes = 0;
  /** Full encodes so far (requests minus this were served from the cache); tests read it. */
  encodes = 0;

  constructor(
    private readonly doc: Y.Doc,
    private readonly budgetBytes: number = STEP2_CACHE_BYTES,
  ) {
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if ((this.empty !== null || this.lru.size > 0) && changedState(tr)) this.clear();
    });
  }

  /** The step 2 frame answering `stateVector` for the doc as it is now (shared: never mutate it). */
  reply(stateVector: Uint8Array): Uint8Array {
    if (isEmptyVector(stateVector)) return (this.empty ??= this.encode(stateVector));
    if (stateVector.byteLength > MAX_KEY_BYTES) return this.encode(stateVector);
    const key = Buffer.from(stateVector.buffer, stateVector.byteOffset, stateVector.byteLength).toString('latin1');
    const hit = this.lru.get(key);
    if (hit) {
      this.lru.delete(key);
      this.lru.set(key, hit);
      return hit;
    }
    const frame = this.encode(stateVector);
    const cost = frame.byteLength + key.length;
    if (cost > this.budgetBytes) return frame;
    this.lru.set(key, frame);
    this.lruBytes += cost;
    for (const [oldKey, oldFrame] of this.lru) {
      if (this.lruBytes <= this.budgetBytes && this.lru.size <= MAX_ENTRIES) break;
      this.lru.delete(oldKey);
      this.lruBytes -= oldFrame.byteLength + oldKey.length;
    }
    return frame;
  }

  private encode(stateVector: Uint8Array): Uint8Array {
    this.encodes++;
    return encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector));
  }

  clear(): void {
    this.empty = null;
    this.lru.clear();
    this.lruBytes = 0;
  }
}
