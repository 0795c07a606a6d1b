/**
 * Limits on a live server: board size, rate limits, connection caps, Origin allow-list, updates
 * with missing dependencies. Each attack runs while a healthy pair on another board keeps
 * converging, and a fresh stock client can load the attacked board afterwards.
 */
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../lib/protocol/close-codes';
import type { Config } from '../config';
import { encodeSyncUpdate } from '../protocol/messages';
import type { RunningServer } from '../start-server';
import { healthyPair, rawSocket, type HealthyPair } from '../testing/healthy-pair';
import { connectClient, makeTempDir, startTestServer, waitFor, type TestClient } from '../testing/helpers';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface Rig {
  server: RunningServer;
  pair: HealthyPair;
  client(board: string): TestClient;
}

async function rig(overrides: Partial<Config>): Promise<Rig> {
  const tmp = makeTempDir();
  cleanups.push(tmp.remove);
  const server = await startTestServer(tmp.dir, { drainMs: 0, ...overrides });
  cleanups.push(() => server.close());
  const pair = await healthyPair(server.url);
  cleanups.push(() => pair.destroy());
  const client = (board: string) => {
    const c = connectClient(server.url, board);
    cleanups.push(() => c.destroy());
    return c;
  };
  return { server, pair, client };
}

/** Writes content to a board with a stock client and waits until the server has it. */
async function seedBoard(r: Rig, board: string): Promise<void> {
  const seeder = r.client(board);
  await waitFor(() => seeder.provider.synced, { what: 'seeder synced' });
  seeder.doc.getMap('board').set('title', 'before the attack');
  const check = r.client(board);
  await waitFor(() => check.doc.getMap('board').get('title') === 'before the attack', { what: 'seed stored' });
  seeder.destroy();
  check.destroy();
}

async function expectLoadable(r: Rig, board: string, extra?: (doc: Y.Doc) => void): Promise<void> {
  const fresh = r.client(board);
  await waitFor(() => fresh.provider.synced && fresh.doc.getMap('board').get('title') === 'before the attack', {
    what: `fresh client loads ${board}`,
  });
  extra?.(fresh.doc);
  expect(fresh.doc.store.pendingStructs).toBeNull();
}

function bigTextUpdate(chars: number): Uint8Array {
  const d = new Y.Doc();
  d.getText('junk').insert(0, 'x'.repeat(chars));
  return Y.encodeStateAsUpdate(d);
}

describe('board size', () => {
  it('closes with 4413 an update that would grow the board past MAX_BOARD_BYTES, board untouched', async () => {
    const r = await rig({ maxBoardBytes: 8 * 1024 });
    await seedBoard(r, 'size-board');
    const raw = rawSocket(`${r.server.url}/size-board`);
    await raw.opened;
    raw.ws.send(encodeSyncUpdate(bigTextUpdate(10_000)));
    const closed = await raw.closed;
    expect(closed).toEqual({ code: CloseCode.TooLarge, reason: 'board too large' });
    await r.pair.check('board size');
    await expectLoadable(r, 'size-board', (doc) => expect(doc.getText('junk').length).toBe(0));
    // small edits still fit
    const writer = r.client('size-board');
    await waitFor(() => writer.provider.synced, { what: 'writer synced' });
    writer.doc.getMap('board').set('after', 1);
    await expectLoadable(r, 'size-board');
  });
});

describe('rate limits', () => {
  const limits = { rateLimitMessagesPerSec: 20, rateLimitBytesPerSec: 1024, maxMessageBytes: 64 * 1024 };

  it('closes a connection that sends too many messages with 4529 (transient)', async () => {
    const r = await rig(limits);
    await seedBoard(r, 'flood-board');
    const raw = rawSocket(`${r.server.url}/flood-board`);
    await raw.opened;
    for (let i = 0; i < 200; i++) raw.ws.send(new Uint8Array([3]));
    expect(await raw.closed).toEqual({ code: CloseCode.RateLimited, reason: 'rate limit exceeded' });
    await r.pair.check('message flood');
    await expectLoadable(r, 'flood-board');
  });

  it('closes a connection that sends too many bytes with 4529', async () => {
    const r = await rig(limits);
    await seedBoard(r, 'bytes-board');
    const raw = rawSocket(`${r.server.url}/bytes-board`);
    await raw.opened;
    // a harmless but large sync step 1: a state vector naming 8000 clients (~30 KB)
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 0);
    const sv = encoding.createEncoder();
    encoding.writeVarUint(sv, 8000);
    for (let c = 1; c <= 8000; c++) {
      encoding.writeVarUint(sv, c);
      encoding.writeVarUint(sv, 1);
    }
    encoding.writeVarUint8Array(e, encoding.toUint8Array(sv));
    const frame = encoding.toUint8Array(e);
    for (let i = 0; i < 5; i++) raw.ws.send(frame);
    expect((await raw.closed).code).toBe(CloseCode.RateLimited);
    await r.pair.check('byte flood');
    await expectLoadable(r, 'bytes-board');
  });
});

describe('connection caps', () => {
  it('refuses connections past MAX_CONNECTIONS_PER_BOARD and MAX_CONNECTIONS_PER_IP with 1013', async () => {
    // the healthy pair holds 2 of this address's 6 slots
    const r = await rig({ maxConnectionsPerBoard: 3, maxConnectionsPerIp: 6 });
    await seedBoard(r, 'crowded');
    const open = async (board: string) => {
      const s = rawSocket(`${r.server.url}/${board}`);
      cleanups.push(() => s.ws.terminate());
      await s.opened;
      return s;
    };
    const inRoom = [await open('crowded'), await open('crowded'), await open('crowded')];
    await waitFor(() => inRoom.every((s) => s.messages.length > 0), { what: 'admitted sockets served' });
    const fourth = await open('crowded');
    expect(await fourth.closed).toEqual({ code: CloseCode.TryAgainLater, reason: 'too many connections to this board' });
    await r.pair.check('board cap');

    const other = await open('elsewhere');
    await waitFor(() => other.messages.length > 0, { what: '6th connection from this address served' });
    const seventh = await open('elsewhere-too');
    expect(await seventh.closed).toEqual({ code: CloseCode.TryAgainLater, reason: 'too many connections from this address' });
    await r.pair.check('ip cap');

    // slots come back when sockets leave
    inRoom[0].ws.close();
    other.ws.close();
    await Promise.all([inRoom[0].closed, other.closed]);
    await waitFor(() => r.server.connectionCount() === 4, { what: 'server saw the closes' });
    await expectLoadable(r, 'crowded');
  });
});

describe('origin allow-list', () => {
  it('closes browser origins not on ALLOWED_ORIGINS with 4403; listed and missing origins connect', async () => {
    const r = await rig({ allowedOrigins: ['https://board.example'] });
    await seedBoard(r, 'origin-board');
    const evil = rawSocket(`${r.server.url}/origin-board`, { Origin: 'https://evil.example' });
    expect(await evil.closed).toEqual({ code: CloseCode.Forbidden, reason: 'origin not allowed' });
    const nullOrigin = rawSocket(`${r.server.url}/origin-board`, { Origin: 'null' });
    expect((await nullOrigin.closed).code).toBe(CloseCode.Forbidden);
    await r.pair.check('origin');

    const good = rawSocket(`${r.server.url}/origin-board`, { Origin: 'https://Board.Example' });
    cleanups.push(() => good.ws.terminate());
    await waitFor(() => good.messages.length > 0, { what: 'allowed origin served' });
    await expectLoadable(r, 'origin-board'); // stock node client: no Origin header
  });
});

describe('updates with missing dependencies', () => {
  it('keeps them out of the board, asks for a resync, and closes with 4422 after repeated gaps', async () => {
    const r = await rig({});
    await seedBoard(r, 'gap-board');
    const other = new Y.Doc();
    other.getText('t').insert(0, 'first ');
    const sv = Y.encodeStateVector(other);
    other.getText('t').insert(6, 'second');
    const gapUpdate = Y.encodeStateAsUpdate(other, sv); // depends on 'first ', which the server never gets

    const raw = rawSocket(`${r.server.url}/gap-board`);
    await raw.opened;
    await waitFor(() => raw.messages.length > 0, { what: 'server step 1' });
    const step1s = () => raw.messages.filter((m) => m[0] === 0 && m[1] === 0).length;
    for (let strike = 1; strike <= 3; strike++) {
      raw.ws.send(encodeSyncUpdate(gapUpdate));
      await waitFor(() => step1s() === 1 + strike, { what: `resync request ${strike}` });
    }
    raw.ws.send(encodeSyncUpdate(gapUpdate));
    expect((await raw.closed).code).toBe(CloseCode.MalformedMessage);
    await r.pair.check('gaps');
    await expectLoadable(r, 'gap-board', (doc) => expect(doc.getText('t').toString()).toBe(''));
  });

  it('a stock client whose edit depends on changes it got elsewhere (another tab) is resynced, not closed', async () => {
    const r = await rig({});
    const a = r.client('tabs');
    const b = r.client('tabs');
    await waitFor(() => a.provider.synced && b.provider.synced, { what: 'synced' });
    const closes: number[] = [];
    a.provider.on('connection-close', (e: CloseEvent | null) => e && closes.push(e.code));

    const tab = new Y.Doc();
    tab.getText('t').insert(0, 'from the other tab');
    // as a BroadcastChannel message would arrive: applied with the provider as origin, so not sent up
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(tab), a.provider);
    a.doc.getText('t').insert(a.doc.getText('t').length, ' + mine');

    await waitFor(() => b.doc.getText('t').toString() === 'from the other tab + mine', { what: 'b converges' });
    expect(closes).toEqual([]);
    expect(a.provider.wsconnected).toBe(true);
    await r.pair.check('tabs');
  });
});
