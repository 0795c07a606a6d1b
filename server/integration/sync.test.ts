/** Protocol conformance with the stock y-websocket client (tests 1, 2, 5). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { decodeMessage } from '../protocol/messages';
import type { RunningServer } from '../start-server';
import { connectClient, makeTempDir, rawClient, startTestServer, waitFor, type TestClient } from '../testing/helpers';

let server: RunningServer;
let tmp: ReturnType<typeof makeTempDir>;
const clients: TestClient[] = [];
const client = (board: string, doc?: Y.Doc) => {
  const c = connectClient(server.url, board, doc);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  tmp = makeTempDir();
  server = await startTestServer(tmp.dir);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.close();
  tmp.remove();
});

describe('stock y-websocket clients', () => {
  it('sync, converge on Y.Map and Y.Text edits from both sides', async () => {
    const a = client('conformance');
    const b = client('conformance');
    await waitFor(() => a.provider.synced && b.provider.synced, { what: 'synced' });

    a.doc.getMap('shapes').set('s1', { x: 1 });
    b.doc.getText('title').insert(0, 'Hello');
    a.doc.getText('title').insert(0, '>> ');
    b.doc.getMap('shapes').set('s2', { x: 2 });

    await waitFor(
      () => a.doc.getMap('shapes').size === 2 && b.doc.getMap('shapes').size === 2 && a.doc.getText('title').length === 8 && b.doc.getText('title').length === 8,
      { what: 'convergence' },
    );
    expect(a.doc.getText('title').toString()).toBe(b.doc.getText('title').toString());
    expect(a.doc.getMap('shapes').toJSON()).toEqual({ s1: { x: 1 }, s2: { x: 2 } });
    expect(b.doc.getMap('shapes').toJSON()).toEqual({ s1: { x: 1 }, s2: { x: 2 } });
    expect(server.registry.loadedCount).toBeGreaterThanOrEqual(1);
  });

  it('relays awareness, answers query-awareness, and removes a leaver\'s state', async () => {
    const a = client('presence');
    const b = client('presence');
    // a fresh {} state has clock 0, which y-protocols never applies remotely: set a field
    a.provider.awareness.setLocalStateField('user', { name: 'ada' });
    b.provider.awareness.setLocalStateField('user', { name: 'bob' });
    const aId = a.doc.clientID;
    await waitFor(() => (b.provider.awareness.getStates().get(aId) as { user?: { name: string } } | undefined)?.user?.name === 'ada', {
      what: 'awareness of A at B',
    });

    const raw = rawClient(`${server.url}/presence`);
    await raw.opened;
    raw.ws.send(new Uint8Array([3]));
    const states = new Map<number, unknown>();
    await waitFor(
      () => {
        for (const m of raw.messages) {
          const d = decodeMessage(m);
          if (d.ok && d.message.kind === 'awareness') for (const e of d.message.entries) states.set(e.clientId, JSON.parse(new TextDecoder().decode(e.json)));
        }
        return states.has(aId) && states.has(b.doc.clientID);
      },
      { what: 'query-awareness answer' },
    );
    expect(states.get(aId)).toEqual({ user: { name: 'ada' } });
    raw.ws.close();

    a.provider.disconnect();
    await waitFor(() => !b.provider.awareness.getStates().has(aId), { what: 'A removed at B' });
    expect(b.provider.awareness.getStates().has(b.doc.clientID)).toBe(true);
  });

  it('keeps two boards separate', async () => {
    const a = client('room-one');
    const b = client('room-two');
    const a2 = client('room-one');
    await waitFor(() => a.provider.synced && b.provider.synced && a2.provider.synced, { what: 'synced' });
    a.doc.getMap('m').set('only', 'one');
    b.doc.getMap('m').set('only', 'two');
    await waitFor(() => a2.doc.getMap('m').get('only') === 'one', { what: 'room-one relay' });
    const fresh = client('room-two');
    await waitFor(() => fresh.provider.synced && fresh.doc.getMap('m').get('only') === 'two', { what: 'room-two load' });
    expect(a.doc.getMap('m').get('only')).toBe('one');
    expect(b.doc.getMap('m').get('only')).toBe('two');
  });

  it('pulls edits a client made offline (server sends sync step 1)', async () => {
    const online = client('offline-edits');
    await waitFor(() => online.provider.synced, { what: 'synced' });
    online.doc.getMap('m').set('online', true);

    const offlineDoc = new Y.Doc();
    offlineDoc.getMap('m').set('offline', 'made before connecting');
    offlineDoc.getText('t').insert(0, 'draft');
    const late = client('offline-edits', offlineDoc);
    await waitFor(() => online.doc.getMap('m').get('offline') === 'made before connecting', { what: 'offline edit at peer' });
    expect(online.doc.getText('t').toString()).toBe('draft');
    await waitFor(() => late.doc.getMap('m').get('online') === true, { what: 'online edit at late client' });
  });

  it('applies awareness updates through y-protocols unchanged', () => {
    // guards the assumption the room relies on: a decoded entry matches what y-protocols encodes
    const doc = new Y.Doc();
    const aw = new awarenessProtocol.Awareness(doc);
    const d = decodeMessage(new Uint8Array([1, ...encodeLen(awarenessProtocol.encodeAwarenessUpdate(aw, [doc.clientID]))]));
    aw.destroy();
    expect(d.ok && d.message.kind === 'awareness' && d.message.entries[0].clientId).toBe(doc.clientID);
  });
});

function encodeLen(u: Uint8Array): number[] {
  // payloads here are < 128 bytes, so the varUint length is one byte
  return [u.length, ...u];
}
