/**
 * y-websocket 3.1 sends every awareness change it *receives* back to the server as well (its
 * update handler ignores the origin): n moving peers cost n² frames a second, and 50 of them at
 * 10 Hz push every client past the server's 300 messages/s limit, which then closes it. This keeps
 * the provider unmodified but lets its handler run only for our own state. Structural types, so
 * lib/ does not import y-websocket.
 */
type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };
type Handler = (change: AwarenessChange, origin: unknown) => void;

export type ProviderLike = {
  awareness: { clientID: number; on(event: 'update', h: Handler): void; off(event: 'update', h: Handler): void };
  _awarenessUpdateHandler: Handler;
};

/** Installs the filter; returns the function that removes it (call before provider.destroy()). */
export function sendOwnAwarenessOnly(p: ProviderLike): () => void {
  const original = p._awarenessUpdateHandler;
  const own = p.awareness.clientID;
  const filtered: Handler = (change, origin) => {
    if (change.added.includes(own) || change.updated.includes(own) || change.removed.includes(own)) {
      original({ added: [], updated: [own], removed: [] }, origin);
    }
  };
  p.awareness.off('update', original);
  p.awareness.on('update', filtered);
  return () => p.awareness.off('update', filtered);
}
