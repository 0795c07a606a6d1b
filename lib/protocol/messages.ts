/**
 * The y-websocket message and sync-step numbers (see /work/shared/reference/sync-protocol.md §1),
 * shared by the server's decoder and the client's sync helpers: a frame starts
 * `varUint(MessageType)`, and a Sync message continues `varUint(SyncType)`. All values are < 128,
 * so each is one byte on the wire.
 */
export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const;
export const SyncType = { Step1: 0, Step2: 1, Update: 2 } as const;

/** Whether a frame is the Sync message `step` (frames are never re-encoded: the first two bytes decide). */
export function isSyncFrame(frame: Uint8Array, step: (typeof SyncType)[keyof typeof SyncType]): boolean {
  return frame.length >= 2 && frame[0] === MessageType.Sync && frame[1] === step;
}
