import { describe, expect, it } from 'vitest';
import { decodeFrameBatch, encodeFrameBatch, encodeSyncStep1, fallbackUrl, fromBase64 } from './frames';
import { PendingChanges } from './pending-changes';
import { ReconnectPolicy } from './reconnect-policy';

const STEP1 = new Uint8Array([0, 0, 1, 0]);
const STEP2 = new Uint8Array([0, 1, 2, 0, 0]);
const UPDATE = new Uint8Array([0, 2, 2, 0, 0]);

/** A fake connection: frames we "send" are recorded in order, probes go out as step 1s. */
function connect(pending: PendingChanges) {
  const sent: Uint8Array[] = [];
  const send = (f: Uint8Array) => {
    sent.push(f);
    pending.sent(f);
  };
  pending.connectionOpened(() => send(STEP1));
  send(STEP1); // the provider's own step 1 on open
  return { sent, send, probes: () => sent.filter((f) => f[1] === 0).length };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
};

describe('PendingChanges', () => {
  it('counts local changes until a step 2 answers a probe sent after our upload', async () => {
    const pending = new PendingChanges({ probeDelayMs: 0, probeIntervalMs: 0, groupWithinMs: 0 });
    pending.localChange();
    pending.localChange();
    const conn = connect(pending);
    expect(pending.count).toBe(2);
    pending.received(STEP2); // answers the provider's step 1, sent before our upload: proves nothing
    expect(pending.count).toBe(2);
    conn.send(STEP2); // our upload (answer to the server's step 1)
    await until(() => conn.probes() === 2);
    pending.localChange(); // made after the probe: not covered by its answer
    pending.received(STEP2);
    expect(pending.count).toBe(1);
    conn.send(UPDATE);
    await until(() => conn.probes() === 3);
    pending.received(STEP2);
    expect(pending.count).toBe(0);
  });

  it('keeps the count across a dropped connection, and carries an earlier page load', async () => {
    const pending = new PendingChanges({ carried: 3, probeDelayMs: 0, probeIntervalMs: 0, groupWithinMs: 0 });
    const conn = connect(pending);
    conn.send(STEP2);
    await until(() => conn.probes() === 2);
    pending.connectionClosed(); // the answer never comes
    expect(pending.count).toBe(3);
    const again = connect(pending);
    pending.received(STEP2);
    again.send(STEP2);
    await until(() => again.probes() === 2);
    pending.received(STEP2);
    expect(pending.count).toBe(0);
    pending.dispose();
  });

  it('probes less often when the answers are big (the delete set of a large board)', async () => {
    const pending = new PendingChanges({ probeDelayMs: 0, probeIntervalMs: 1_000, groupWithinMs: 0 });
    const conn = connect(pending);
    pending.received(STEP2);
    conn.send(STEP2);
    pending.localChange();
    await until(() => conn.probes() === 2);
    const big = new Uint8Array(50_000);
    big[1] = 1; // a step 2 of 50 KB
    pending.received(big);
    expect(pending.count).toBe(0);
    expect(pending.probeInterval).toBe(5_000);
    pending.dispose();
  });

  it('counts a burst of transactions (a drag) as one change, but never across a probe', async () => {
    const pending = new PendingChanges({ probeDelayMs: 60_000, groupWithinMs: 10_000 });
    const conn = connect(pending);
    pending.received(STEP2);
    conn.send(STEP2);
    for (let i = 0; i < 10; i++) pending.localChange();
    expect(pending.count).toBe(1);
    conn.send(STEP1); // a step 1 goes out (as a probe would)
    pending.localChange(); // after it: a new change, or the probe's answer would wrongly cover it
    expect(pending.count).toBe(2);
    pending.received(STEP2); // the answer covers the first change only
    expect(pending.count).toBe(1);
    pending.dispose();
  });

  it('has at most one probe unanswered', async () => {
    const pending = new PendingChanges({ probeDelayMs: 0, probeIntervalMs: 0, groupWithinMs: 0 });
    const conn = connect(pending);
    conn.send(STEP2);
    pending.localChange();
    await until(() => conn.probes() === 2);
    for (let i = 0; i < 5; i++) pending.localChange();
    await new Promise((r) => setTimeout(r, 30));
    expect(conn.probes()).toBe(2);
    pending.dispose();
  });
});

describe('ReconnectPolicy', () => {
  it('first attempt at once, then full jitter under a doubling ceiling, capped; reset on success', () => {
    let r = 0.999;
    const policy = new ReconnectPolicy({ baseMs: 100, capMs: 1_000, random: () => r });
    expect(policy.delay()).toBe(0);
    const ceilings = [];
    for (let i = 0; i < 6; i++) {
      policy.failed();
      ceilings.push(policy.delay() + 1);
    }
    expect(ceilings).toEqual([100, 200, 400, 800, 1000, 1000]);
    r = 0;
    expect(policy.delay()).toBe(0);
    policy.succeeded();
    expect(policy.delay()).toBe(0);
    expect(policy.delay(false)).toBe(30_000);
  });

  it('wake() ends the wait at once and clears the countdown', async () => {
    const policy = new ReconnectPolicy();
    const started = performance.now();
    const waiting = policy.wait(60_000);
    expect(policy.retryAt).not.toBeNull();
    policy.wake();
    await waiting;
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(policy.retryAt).toBeNull();
  });
});

describe('frames', () => {
  it('batches round-trip and reject broken framing or oversize frames', () => {
    const frames = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(300).fill(7)];
    const body = encodeFrameBatch(frames);
    expect(decodeFrameBatch(body, 1000)?.map((f) => [...f])).toEqual(frames.map((f) => [...f]));
    expect(decodeFrameBatch(body.subarray(0, body.length - 1), 1000)).toBeNull();
    expect(decodeFrameBatch(body, 100)).toBeNull();
  });

  it('encodes step 1 like y-protocols, base64 round-trips, fallback URLs keep the query', () => {
    expect([...encodeSyncStep1(new Uint8Array(200).fill(1)).subarray(0, 4)]).toEqual([0, 0, 0xc8, 0x01]);
    const bytes = new Uint8Array(70_000).map((_, i) => i % 251);
    expect([...fromBase64(Buffer.from(bytes).toString('base64'))]).toEqual([...bytes]); // what the server sends
    expect(fallbackUrl('wss://sync.example/abc?token=t')).toBe('https://sync.example/fallback/abc?token=t');
    expect(fallbackUrl('ws://127.0.0.1:1234/abc')).toBe('http://127.0.0.1:1234/fallback/abc');
  });
});
