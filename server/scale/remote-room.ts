/**
 * A room's side of scale-out: what other servers' commits and presence do to a loaded room. Kept
 * out of rooms/room.ts, which only offers the two primitives this needs (applyDurable,
 * presenceChanged), so a single-server room carries none of it.
 */
import * as Y from 'yjs';
import type { Logger } from '../logger';
import { decodeAwarenessUpdate } from '../protocol/messages';
import type { Room } from '../rooms/room';

/**
 * An update another server committed as `seq` (already durable): applied and sent to every client
 * here. The caller applies seqs in order; false if the doc already had it.
 */
export function applyRemote(room: Room, seq: number, update: Uint8Array): boolean {
  if (room.isBroken || room.seqs.has(seq)) return false;
  room.seqs.addRange(seq, seq);
  room.applyDurable(update);
  return true;
}

/** Another server compacted seqs this room never saw: apply the snapshot's missing part. */
export function applySnapshot(room: Room, state: Uint8Array, seqUpto: number): void {
  if (room.isBroken || seqUpto <= room.seqs.applied) return;
  const missing = Y.diffUpdate(state, Y.encodeStateVector(room.doc));
  room.seqs.advanceTo(seqUpto);
  room.applyDurable(missing);
}

/** Presence relayed from another server: goes to the clients here with the next flush. */
export function applyRemotePresence(room: Room, update: Uint8Array, fromServer: string, log: Logger): void {
  let entries;
  try {
    entries = decodeAwarenessUpdate(update);
  } catch (err) {
    log.warn({ err, boardId: room.boardId }, 'malformed presence from another server');
    return;
  }
  if (room.presence.apply(entries, Date.now(), fromServer)) room.presenceChanged();
}

/** `serverId` is gone (crashed or shut down): its clients' presence goes too. */
export function dropServerPresence(room: Room, serverId: string): void {
  if (room.presence.removeFrom(serverId)) room.presenceChanged();
}

/** Presence of this server's clients (answers another server that just loaded the board). */
export function localPresence(room: Room): Uint8Array | null {
  return room.presence.encodeLocal();
}
