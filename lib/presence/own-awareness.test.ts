import { describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { sendOwnAwarenessOnly, type ProviderLike } from './own-awareness';

describe('sendOwnAwarenessOnly', () => {
  it('forwards our own changes only, never the peers’ states we receive', () => {
    const mine = new Awareness(new Y.Doc());
    const peer = new Awareness(new Y.Doc());
    const sent: number[][] = [];
    const provider: ProviderLike = {
      awareness: mine as unknown as ProviderLike['awareness'],
      _awarenessUpdateHandler: ({ added, updated, removed }) => sent.push([...added, ...updated, ...removed]),
    };
    mine.on('update', provider._awarenessUpdateHandler); // what the WebsocketProvider constructor does
    const stop = sendOwnAwarenessOnly(provider);

    peer.setLocalState({ user: { name: 'Bob' } });
    applyAwarenessUpdate(mine, encodeAwarenessUpdate(peer, [peer.clientID]), 'server');
    expect(mine.getStates().has(peer.clientID)).toBe(true);
    expect(sent).toEqual([]);

    mine.setLocalState({ user: { name: 'Alice' } });
    mine.setLocalState(null);
    expect(sent).toEqual([[mine.clientID], [mine.clientID]]);

    stop();
    mine.setLocalState({ user: { name: 'Alice' } });
    expect(sent).toHaveLength(2);
    mine.destroy();
    peer.destroy();
  });
});
