/**
 * Fuzz a live server process for a bounded time: random bytes and mutated real frames (bit
 * flips, truncations, splices, length tampering) from raw sockets that reconnect whenever they are
 * closed. Meanwhile a healthy pair on another board must keep converging; afterwards the process
 * is up, and the attacked board loads in a fresh stock client with its pre-fuzz content intact.
 * Reproduce a failure with FUZZ_SEED=<printed seed>.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { encodeAwarenessMessage, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from '../protocol/messages';
import { healthyPair, rawSocket, type RawSocket } from '../testing/healthy-pair';
import { connectClient, makeTempDir, spawnServer, waitFor, type ChildServer } from '../testing/helpers';
import { prng } from '../testing/prng';

const FUZZ_MS = 8_000;
const MAX_FRAMES = 40_000;
const WORKERS = 4;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Real frames a stock client would send, touching only types the pre-fuzz content doesn't use. */
function seedFrames(): Uint8Array[] {
  const doc = new Y.Doc();
  doc.getText('scratch').insert(0, 'fuzz seed text');
  const sv = Y.encodeStateVector(doc);
  doc.getMap('junk').set('a', { x: 1, y: [1, 2, 3] });
  doc.getText('scratch').delete(2, 3);
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState({ user: { name: 'fuzz' }, cursor: { x: 1, y: 2 } });
  const frames = [
    encodeSyncStep1(Y.encodeStateVector(doc)),
    encodeSyncStep2(Y.encodeStateAsUpdate(doc)),
    encodeSyncUpdate(Y.encodeStateAsUpdate(doc, sv)),
    encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])),
    new Uint8Array([3]),
  ];
  awareness.destroy();
  doc.destroy();
  return frames;
}

function mutate(rand: () => number, seeds: Uint8Array[]): Uint8Array {
  const int = (n: number) => Math.floor(rand() * n);
  const pick = () => seeds[int(seeds.length)];
  switch (int(7)) {
    case 0: // random bytes
      return Uint8Array.from({ length: int(64) }, () => int(256));
    case 1: {
      const f = pick().slice();
      for (let i = 1 + int(4); i > 0 && f.length > 0; i--) f[int(f.length)] ^= 1 << int(8);
      return f;
    }
    case 2: // truncation
      return pick().slice(0, int(pick().length + 1));
    case 3: {
      const a = pick();
      const b = pick();
      const out = new Uint8Array([...a.slice(0, int(a.length + 1)), ...b.slice(int(b.length + 1))]);
      return out;
    }
    case 4: {
      // lie about a length: varint bytes near the start set to huge values
      const f = pick().slice();
      if (f.length > 2) f[2] = 0xff;
      if (f.length > 3) f[3] = 0xff;
      return f;
    }
    case 5: {
      const f = pick();
      const at = int(f.length + 1);
      return new Uint8Array([...f.slice(0, at), ...Uint8Array.from({ length: 1 + int(8) }, () => int(256)), ...f.slice(at)]);
    }
    default:
      return pick(); // unmodified real frames keep the sockets alive long enough to reach deep states
  }
}

describe('fuzz', () => {
  it('survives random and mutated frames; boards stay loadable and other boards converge', async () => {
    const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
    console.log(`fuzz seed ${seed} (replay with FUZZ_SEED=${seed})`);
    const rand = prng(seed);
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    // high message rate so frames reach the decoder instead of the rate limiter
    const server: ChildServer = await spawnServer(tmp.dir, { RATE_LIMIT_MESSAGES_PER_SEC: '100000', DRAIN_MS: '0' });
    cleanups.push(async () => {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    });

    const seeder = connectClient(server.url, 'fuzz-target');
    cleanups.push(() => seeder.destroy());
    await waitFor(() => seeder.provider.synced, { what: 'seeder synced' });
    seeder.doc.getMap('board').set('title', 'pre-fuzz');
    seeder.doc.getText('notes').insert(0, 'notes written before the fuzz');
    const seedCheck = connectClient(server.url, 'fuzz-target');
    cleanups.push(() => seedCheck.destroy());
    await waitFor(() => seedCheck.doc.getText('notes').length > 0 && seedCheck.doc.getMap('board').size === 1, { what: 'seed stored' });
    const expectedBoard = seedCheck.doc.getMap('board').toJSON();
    const expectedNotes = seedCheck.doc.getText('notes').toString();
    seeder.destroy();
    seedCheck.destroy();

    const pair = await healthyPair(server.url, 'fuzz-healthy');
    cleanups.push(() => pair.destroy());
    const seeds = seedFrames();
    const deadline = Date.now() + FUZZ_MS;
    let sent = 0;
    let connections = 0;
    const closeCodes = new Map<number, number>();
    const open: RawSocket[] = [];
    cleanups.push(() => open.forEach((s) => s.ws.terminate()));

    const worker = async () => {
      while (Date.now() < deadline && sent < MAX_FRAMES) {
        const sock = rawSocket(`${server.url}/fuzz-target`);
        open.push(sock);
        connections++;
        const outcome = await Promise.race([sock.opened.then(() => 'open'), sock.closed.then(() => 'closed')]);
        let closed = outcome === 'closed';
        void sock.closed.then(({ code }) => {
          closed = true;
          closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1);
        });
        while (!closed && Date.now() < deadline && sent < MAX_FRAMES) {
          for (let i = 1 + Math.floor(rand() * 8); i > 0 && sock.ws.readyState === sock.ws.OPEN; i--) {
            sock.ws.send(mutate(rand, seeds), () => undefined);
            sent++;
          }
          await new Promise((r) => setTimeout(r, 1));
        }
        sock.ws.terminate();
      }
    };

    let checks = 0;
    const healthy = async () => {
      while (Date.now() < deadline) {
        await pair.check(`fuzz ${checks}`);
        checks++;
      }
    };
    await Promise.all([...Array.from({ length: WORKERS }, worker), healthy()]);
    console.log(
      `fuzz: ${sent} frames over ${connections} connections; closes ${JSON.stringify(Object.fromEntries(closeCodes))}; healthy checks ${checks}`,
    );

    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
    expect(sent).toBeGreaterThan(1000);
    expect(checks).toBeGreaterThan(5);
    await pair.check('after fuzz');
    const fresh = connectClient(server.url, 'fuzz-target');
    cleanups.push(() => fresh.destroy());
    await waitFor(() => fresh.provider.synced && fresh.doc.getText('notes').length > 0, { what: 'fresh load of the attacked board' });
    expect(fresh.doc.getMap('board').toJSON()).toEqual(expectedBoard);
    expect(fresh.doc.getText('notes').toString()).toBe(expectedNotes);
    expect(fresh.doc.store.pendingStructs).toBeNull();
    expect(server.logLines.some((l) => (JSON.parse(l) as { level: number }).level >= 50)).toBe(false); // no error or fatal log line
  });
});
