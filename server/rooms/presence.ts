/**
 * A board's awareness states as raw bytes: the y-protocols Awareness rules (clock ordering, null =
 * left, 30 s timeout) without its JSON round trip. Entries are stored as the JSON bytes a client
 * sent and re-framed, never re-stringified, so relaying presence costs a few varints per entry.
 *
 * Changes are collected in `dirty` and sent as ONE awareness message per tick (several clients
 * per message is allowed by the protocol; still one message per frame).
 *
 * Scale-out: states relayed from other servers remember which server they came from; they go to
 * this server's clients like any other, but only local ones are published back (no echo loops
 * between servers), and they all go at once when that server is gone.
 */
import { Buffer } from 'node:buffer';
import { type AwarenessEntry, varUintSize, writeVarUint } from '../protocol/messages';

/** As y-protocols: a remote state not renewed for this long is removed (clients renew every 15 s). */
export const OUTDATED_TIMEOUT_MS = 30_000;

const NULL_JSON = 'null';

interface State {
  /**
   * The JSON bytes as a latin1 string (one char per byte, copied): ~n + 16 bytes, where keeping
   * the entry's Uint8Array view cost ~0.1 KB more and kept the whole received frame alive.
   */
  json: string;
  updatedAt: number;
}

/** One char per byte; `Buffer.write(s, pos, "latin1")` writes the same bytes back. */
function bytesToLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export class Presence {
  /** Last clock per client id, kept after removal (as y-protocols' meta) so old entries stay old. */
  private readonly clocks = new Map<number, number>();
  private readonly states = new Map<number, State>();
  /** Ids changed since the last takeDirty(). */
  private dirty = new Set<number>();
  /** Ids whose current state (or removal) came from another server -> that server's id. */
  private readonly remote = new Map<number, string>();

  get hasChanges(): boolean {
    return this.dirty.size > 0;
  }

  get size(): number {
    return this.states.size;
  }

  has(clientId: number): boolean {
    return this.states.has(clientId);
  }

  clock(clientId: number): number | undefined {
    return this.clocks.get(clientId);
  }

  /** Applies entries by y-protocols' rule; returns true if any was newer (and so must be relayed). */
  apply(entries: readonly AwarenessEntry[], now: number, fromServer?: string): boolean {
    let changed = false;
    for (const { clientId, clock, json, isNull } of entries) {
      // a client connected HERE is authoritative for its id; another server cannot overwrite it
      if (fromServer !== undefined && this.states.has(clientId) && !this.remote.has(clientId)) continue;
      const current = this.clocks.get(clientId) ?? 0;
      if (!(current < clock || (current === clock && isNull && this.states.has(clientId)))) continue;
      if (isNull) this.states.delete(clientId);
      else this.states.set(clientId, { json: bytesToLatin1(json), updatedAt: now });
      this.clocks.set(clientId, clock);
      this.dirty.add(clientId);
      if (fromServer !== undefined) this.remote.set(clientId, fromServer);
      else this.remote.delete(clientId);
      changed = true;
    }
    return changed;
  }

  /** The server a live state was relayed from, or undefined if it is local or absent. */
  originOf(clientId: number): string | undefined {
    return this.states.has(clientId) ? this.remote.get(clientId) : undefined;
  }

  /** Removes every state relayed from `serverId` (that server is gone); true if any. */
  removeFrom(serverId: string): boolean {
    let removed = false;
    for (const [id, origin] of this.remote) if (origin === serverId) removed = this.remove(id) || removed;
    return removed;
  }

  /** Removes a state (connection gone, or timed out); true if there was one. */
  remove(clientId: number): boolean {
    if (!this.states.delete(clientId)) return false;
    this.dirty.add(clientId);
    return true;
  }


  /** Removes states not renewed within OUTDATED_TIMEOUT_MS; true if any. */
  sweep(now: number): boolean {
    let removed = false;
    for (const [id, s] of this.states) {
      if (now - s.updatedAt >= OUTDATED_TIMEOUT_MS) removed = this.remove(id) || removed;
    }
    return removed;
  }

  /**
   * Encoded awareness update for the ids changed since the last call (`all`, for this server's
   * clients) and for those of them owned here (`local`, for the other servers), or null if none.
   */
  takeDirty(): { all: Uint8Array; local: Uint8Array | null } | null {
    if (this.dirty.size === 0) return null;
    const ids = this.dirty;
    this.dirty = new Set();
    const local = [...ids].filter((id) => !this.remote.has(id));
    const all = this.encode(ids);
    return { all, local: local.length === 0 ? null : local.length === ids.size ? all : this.encode(local) };
  }

  /** Every current state, or null if there are none. */
  encodeAll(): Uint8Array | null {
    return this.states.size === 0 ? null : this.encode(this.states.keys());
  }

  /** Every state owned by this server's clients, or null if none (answers another server's query). */
  encodeLocal(): Uint8Array | null {
    const ids = [...this.states.keys()].filter((id) => !this.remote.has(id));
    return ids.length === 0 ? null : this.encode(ids);
  }

  /** `varUint(n) • n × (varUint id • varUint clock • varString json)`, in one exact-size buffer. */
  private encode(ids: Iterable<number>): Uint8Array {
    const list = [...ids];
    let size = varUintSize(list.length);
    for (const id of list) {
      const json = this.states.get(id)?.json ?? NULL_JSON;
      size += varUintSize(id) + varUintSize(this.clocks.get(id) ?? 0) + varUintSize(json.length) + json.length;
    }
    // from Node's pool: callers frame or publish it right away and do not keep it
    const out = Buffer.allocUnsafe(size);
    let pos = writeVarUint(out, 0, list.length);
    for (const id of list) {
      const json = this.states.get(id)?.json ?? NULL_JSON;
      pos = writeVarUint(out, pos, id);
      pos = writeVarUint(out, pos, this.clocks.get(id) ?? 0);
      // varString = varUint(byte length) + UTF-8 bytes, so the raw JSON bytes go in unchanged
      pos = writeVarUint(out, pos, json.length);
      pos += out.write(json, pos, 'latin1');
    }
    return new Uint8Array(out.buffer, out.byteOffset, size);
  }
}
