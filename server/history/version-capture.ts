/**
 * Automatic version capture for every loaded room: the registry's history hooks (room-registry.ts
 * `RoomHistory`) give each room its RoomVersions on load, capture when its last user releases it
 * and before it unloads or the server shuts down, and stop its timer when it goes. What a capture
 * does and when the timers fire is in room-versions.ts.
 */
import type { Room } from '../rooms/room';
import type { RoomHistory } from '../rooms/room-registry';
import { RoomVersions, type CaptureDeps } from './room-versions';

export class VersionCapture implements RoomHistory {
  private readonly rooms = new Map<Room, RoomVersions>();

  constructor(private readonly deps: CaptureDeps) {}

  loaded(room: Room): void {
    const versions = new RoomVersions(room, this.deps);
    this.rooms.set(room, versions);
    room.edits = versions;
  }

  idle(room: Room): void {
    void this.rooms.get(room)?.auto('idle');
  }

  async beforeUnload(room: Room): Promise<void> {
    const versions = this.rooms.get(room);
    if (!versions) return;
    versions.close(); // no timer may start a capture after this last one
    await versions.auto('unload');
  }

  unloaded(room: Room): void {
    this.rooms.get(room)?.close();
    this.rooms.delete(room);
    room.edits = null;
  }

  /** The room's history (the room must be loaded: acquired). */
  of(room: Room): RoomVersions {
    const versions = this.rooms.get(room);
    if (!versions) throw new Error(`board ${room.boardId} has no version history attached`);
    return versions;
  }
}
