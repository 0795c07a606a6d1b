/**
 * Awareness ownership on a live server: a connection binds the first client id it announces;
 * entries for other ids (overwrites, null "removals") are dropped; oversized states close with
 * 4413; a client's presence goes when it disconnects. A healthy pair on another board converges
 * throughout and a fresh client can load the attacked board.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../../lib/protocol/close-codes';
import { awarenessFrame, healthyPair, rawSocket } from '../testing/healthy-pair';
import { connectClient, makeTempDir, startTestServer, waitFor, type TestClient } from '../testing/helpers';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup() {
  const tmp = makeTempDir();
  cleanups.push(tmp.remove);
  const server = await startTestServer(tmp.dir, { drainMs: 0, maxAwarenessStateBytes: 1024 });
  cleanups.push(() => server.close());
  const pair = await healthyPair(server.url);
  cleanups.push(() => pair.destroy());
  const client = (board: string): TestClient => {
    const c = connectClient(server.url, board);
    cleanups.push(() => c.destroy());
    return c;
  };
  const victim = client('presence');
  const watcher = client('presence');
  await waitFor(() => victim.provider.synced && watcher.provider.synced, { what: 'synced' });
  victim.doc.getMap('board').set('title', 'kept');
  victim.provider.awareness.setLocalStateField('user', { name: 'victim' });
  const victimId = victim.doc.clientID;
  const seenByWatcher = () => watcher.provider.awareness.getStates().get(victimId) as { user?: { name: string } } | undefined;
  await waitFor(() => seenByWatcher()?.user?.name === 'victim', { what: 'watcher sees victim' });
  return { server, pair, client, victim, watcher, victimId, seenByWatcher };
}

describe('awareness ownership', () => {
  it('drops entries a connection sends for client ids it does not own', async () => {
    const { server, pair, client, victimId, seenByWatcher, watcher } = await setup();
    const attacker = rawSocket(`${server.url}/presence`);
    cleanups.push(() => attacker.ws.terminate());
    await attacker.opened;
    const attackerId = 4_000_000_001;
    attacker.ws.send(
      awarenessFrame([
        { clientId: attackerId, clock: 1, state: { user: { name: 'attacker' } } },
        { clientId: victimId, clock: 1_000, state: { user: { name: 'hacked' } } },
      ]),
    );
    // the attacker's own id is accepted, which also proves the frame was processed
    await waitFor(() => watcher.provider.awareness.getStates().has(attackerId), { what: 'attacker own presence' });
    attacker.ws.send(awarenessFrame([{ clientId: victimId, clock: 1_001, state: null }]));
    attacker.ws.send(awarenessFrame([{ clientId: attackerId, clock: 2, state: { user: { name: 'attacker 2' } } }]));
    await waitFor(
      () => (watcher.provider.awareness.getStates().get(attackerId) as { user: { name: string } }).user.name === 'attacker 2',
      { what: 'later attacker frame processed' },
    );
    expect(seenByWatcher()?.user?.name).toBe('victim');
    expect(attacker.ws.readyState).toBe(attacker.ws.OPEN); // dropped, not closed: documented choice

    // leaving removes the attacker's own presence, never the victim's
    attacker.ws.close();
    await waitFor(() => !watcher.provider.awareness.getStates().has(attackerId), { what: 'attacker presence removed' });
    expect(seenByWatcher()?.user?.name).toBe('victim');
    await pair.check('awareness spoof');
    const fresh = client('presence');
    await waitFor(() => fresh.provider.synced && fresh.doc.getMap('board').get('title') === 'kept', { what: 'fresh load' });
    await waitFor(() => (fresh.provider.awareness.getStates().get(victimId) as { user?: { name: string } } | undefined)?.user?.name === 'victim', {
      what: 'fresh client sees victim',
    });
  });

  it('cannot bind an id another live connection owns', async () => {
    const { server, pair, victimId, seenByWatcher } = await setup();
    const attacker = rawSocket(`${server.url}/presence`);
    cleanups.push(() => attacker.ws.terminate());
    await attacker.opened;
    // first announcement is the victim's id: refused, so the attacker stays unbound
    attacker.ws.send(awarenessFrame([{ clientId: victimId, clock: 500, state: { user: { name: 'hacked' } } }]));
    attacker.ws.send(new Uint8Array([3])); // query: its answer proves the frame above was handled
    await waitFor(() => attacker.messages.filter((m) => m[0] === 1).length >= 2, { what: 'query answered' });
    expect(seenByWatcher()?.user?.name).toBe('victim');
    await pair.check('awareness hijack');
  });

  it('closes with 4413 a state larger than MAX_AWARENESS_STATE_BYTES', async () => {
    const { server, pair, seenByWatcher } = await setup();
    const attacker = rawSocket(`${server.url}/presence`);
    await attacker.opened;
    attacker.ws.send(awarenessFrame([{ clientId: 4_000_000_002, clock: 1, state: { blob: 'x'.repeat(2000) } }]));
    expect(await attacker.closed).toEqual({ code: CloseCode.TooLarge, reason: 'awareness state too large' });
    expect(seenByWatcher()?.user?.name).toBe('victim');
    await pair.check('awareness size');
  });

  it('removes a client presence when it disconnects', async () => {
    const { victim, watcher, victimId, pair } = await setup();
    victim.provider.disconnect();
    await waitFor(() => !watcher.provider.awareness.getStates().has(victimId), { what: 'victim presence removed' });
    await pair.check('disconnect');
  });
});
