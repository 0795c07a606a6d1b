/**
 * Awareness ownership for one board. y-protocols lets any client write any client id's presence;
 * here a connection binds the first client id it announces with a non-null state, and from then
 * on entries for other ids are DROPPED (not fatal: a buggy client keeps its document sync). An id
 * that another live connection owns cannot be bound (no hijacking; a reconnecting client whose old
 * socket still lingers binds once that socket is gone). A state larger than the cap is refused.
 *
 * Clocks: removing a departed client's state bumps its clock on the server, and a y-websocket
 * client that reconnects re-sends its state with its old clock, which y-protocols would ignore
 * (presence missing until two renewals later). So on binding, the connection gets an offset that
 * lifts its clocks above the server's, applied to every entry it sends afterwards.
 */
import type { AwarenessEntry } from '../protocol/messages';

export interface AwarenessFilterResult {
  /** The entries the connection may write, clocks already offset (raw JSON untouched). */
  kept: AwarenessEntry[];
  dropped: number;
  /** Set when a state exceeds the cap: the caller closes the connection. */
  tooLarge: boolean;
  /** The connection just bound an id that an earlier connection to this board had owned. */
  rebound: boolean;
}

/** How many departed client ids are remembered to recognise reconnections. */
const RECENT_LIMIT = 1024;

export class AwarenessGuard<P> {
  private readonly owners = new Map<number, P>();
  private readonly owned = new Map<P, { id: number; clockOffset: number }>();
  private readonly recentlyLeft = new Set<number>();

  constructor(private readonly maxStateBytes: number) {}

  ownerOf(peer: P): number | undefined {
    return this.owned.get(peer)?.id;
  }

  /** `serverClock(id)` is the clock the server's Awareness holds for an id (undefined if never seen). */
  filter(peer: P, entries: AwarenessEntry[], serverClock: (clientId: number) => number | undefined): AwarenessFilterResult {
    const kept: AwarenessEntry[] = [];
    let dropped = 0;
    let rebound = false;
    for (const entry of entries) {
      let mine = this.owned.get(peer);
      if (mine === undefined && !entry.isNull && !this.owners.has(entry.clientId)) {
        const known = serverClock(entry.clientId);
        mine = { id: entry.clientId, clockOffset: known !== undefined && known >= entry.clock ? known + 1 - entry.clock : 0 };
        this.owned.set(peer, mine);
        this.owners.set(mine.id, peer);
        rebound = this.recentlyLeft.delete(mine.id);
      }
      if (entry.clientId !== mine?.id) {
        dropped++; // someone else's id, or a null state for an id this connection doesn't own
        continue;
      }
      // the size of the JSON as sent (it is relayed byte for byte)
      if (entry.json.byteLength > this.maxStateBytes) return { kept: [], dropped, tooLarge: true, rebound };
      kept.push(mine.clockOffset === 0 ? entry : { ...entry, clock: entry.clock + mine.clockOffset });
    }
    return { kept, dropped, tooLarge: false, rebound };
  }

  /** Forgets the connection; returns the id whose presence must now be removed, if any. */
  release(peer: P): number | undefined {
    const id = this.owned.get(peer)?.id;
    if (id === undefined) return undefined;
    this.owned.delete(peer);
    this.owners.delete(id);
    if (this.recentlyLeft.size >= RECENT_LIMIT) {
      const oldest = this.recentlyLeft.values().next().value;
      if (oldest !== undefined) this.recentlyLeft.delete(oldest);
    }
    this.recentlyLeft.add(id);
    return id;
  }
}
