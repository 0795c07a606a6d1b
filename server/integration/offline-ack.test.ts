/**
 * The contract the client's "not yet saved" count rests on (lib/sync/pending-changes.ts): the
 * server answers a client's sync step 1 with step 2 only after every frame that client sent
 * before it is on disk. Checked the hard way: the moment the answer arrives, the server process
 * is killed with SIGKILL; a fresh server on the same data must have every one of those changes,
 * deletions included.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeSyncStep1 } from '../../lib/sync/frames';
import { encodeSyncUpdate } from '../protocol/messages';
import { connectClient, makeTempDir, rawClient, spawnServer, waitFor, type ChildServer } from '../testing/helpers';

const children: ChildServer[] = [];
const tmp = makeTempDir();

afterAll(() => {
  for (const c of children) c.child.kill('SIGKILL');
  tmp.remove();
});

describe('acknowledged means stored', () => {
  it('every change sent before a step 1 survives SIGKILL right after its step 2 arrives', async () => {
    const first = await spawnServer(tmp.dir);
    children.push(first);
    const raw = rawClient(`${first.url}/ack-board`);
    await raw.opened;

    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const shapes = doc.getMap('shapes');
    for (let i = 0; i < 200; i++) shapes.set(`s${i}`, { x: i });
    for (let i = 0; i < 200; i += 2) shapes.delete(`s${i}`); // delete-only changes: no state vector moves
    for (const u of updates) raw.ws.send(encodeSyncUpdate(u));

    const before = raw.messages.length;
    raw.ws.send(encodeSyncStep1(Y.encodeStateVector(doc)));
    await waitFor(() => raw.messages.slice(before).some((m) => m[0] === 0 && m[1] === 1), { what: 'step 2 answer', interval: 1 });
    process.kill(first.pid, 'SIGKILL');
    await first.exited;

    const second = await spawnServer(tmp.dir);
    children.push(second);
    const fresh = connectClient(second.url, 'ack-board');
    try {
      await waitFor(() => fresh.provider.synced, { what: 'fresh client synced' });
      const stored = fresh.doc.getMap('shapes');
      expect(stored.size).toBe(100);
      expect([...stored.keys()].every((k) => Number(k.slice(1)) % 2 === 1)).toBe(true);
    } finally {
      fresh.destroy();
    }
  });
});
