/** The presence part of window.commonboard (see lib/testing/test-api.ts and docs/testing.md). */
import type { PresenceTestApi } from '@/lib/testing/test-api';
import { useUiStore } from '@/lib/ui/ui-store';
import { cursorRuntime } from './cursor-runtime';
import { usePresenceStore } from './presence-store';

export function presenceTestApi(): PresenceTestApi {
  return {
    getPresence: () => usePresenceStore.getState().peers.map((p) => ({ ...p })),
    getRemoteCursors: () => cursorRuntime.snapshot(),
    getCamera: () => ({ ...useUiStore.getState().camera }),
    getFollowing: () => {
      const { following, peers } = usePresenceStore.getState();
      if (!following) return null;
      const leader = peers.find((p) => p.clientId === following.clientId);
      return { clientId: following.clientId, name: leader?.name ?? '', reason: following.reason };
    },
  };
}
