/** Presence bookkeeping for scale-out: states relayed from other servers are never published back. */
import { describe, expect, it } from 'vitest';
import { decodeAwarenessUpdate, type AwarenessEntry } from '../protocol/messages';
import { Presence } from './presence';

const entry = (clientId: number, clock: number, state: unknown): AwarenessEntry => {
  const json = new TextEncoder().encode(JSON.stringify(state));
  return { clientId, clock, json, isNull: state === null };
};
const ids = (update: Uint8Array | null | undefined) => (update ? decodeAwarenessUpdate(update).map((e) => e.clientId).sort() : []);

describe('Presence (local and remote states)', () => {
  it('sends every change to local clients but publishes only local ones', () => {
    const p = new Presence();
    p.apply([entry(1, 1, { n: 'here' })], 0);
    p.apply([entry(2, 1, { n: 'there' })], 0, 's2');
    const dirty = p.takeDirty();
    expect(ids(dirty?.all)).toEqual([1, 2]);
    expect(ids(dirty?.local)).toEqual([1]);
    expect(ids(p.encodeLocal())).toEqual([1]);
    expect(ids(p.encodeAll())).toEqual([1, 2]);

    // only remote changes: nothing to publish
    p.apply([entry(2, 2, { n: 'moved' })], 0, 's2');
    expect(p.takeDirty()?.local).toBeNull();

    // a client that moved here from another server becomes local
    p.apply([entry(2, 3, { n: 'arrived' })], 0);
    expect(ids(p.takeDirty()?.local)).toEqual([2]);
  });

  it('drops every state of a server that is gone, and only those', () => {
    const p = new Presence();
    p.apply([entry(1, 1, { n: 'local' })], 0);
    p.apply([entry(2, 1, { n: 'a' }), entry(3, 1, { n: 'b' })], 0, 'dead');
    p.apply([entry(4, 1, { n: 'c' })], 0, 'alive');
    p.takeDirty();
    expect(p.originOf(2)).toBe('dead');
    expect(p.originOf(1)).toBeUndefined();
    expect(p.removeFrom('dead')).toBe(true);
    expect(ids(p.encodeAll())).toEqual([1, 4]);
    expect(p.takeDirty()?.local).toBeNull(); // the removal is for our clients, not for the others
    expect(p.removeFrom('dead')).toBe(false);
  });

  it('never lets another server overwrite the state of a client connected here', () => {
    const p = new Presence();
    p.apply([entry(5, 1, { n: 'mine' })], 0);
    expect(p.apply([entry(5, 99, { n: 'forged' })], 0, 's2')).toBe(false);
    expect(p.originOf(5)).toBeUndefined();
    expect(ids(p.encodeLocal())).toEqual([5]);
  });

  it('relays a remote removal locally without publishing it', () => {
    const p = new Presence();
    p.apply([entry(7, 4, { n: 'x' })], 0, 's3');
    p.takeDirty();
    expect(p.apply([entry(7, 4, null)], 0, 's3')).toBe(true);
    const dirty = p.takeDirty();
    expect(decodeAwarenessUpdate(dirty!.all)).toMatchObject([{ clientId: 7, isNull: true }]);
    expect(dirty!.local).toBeNull();
    expect(p.size).toBe(0);
  });
});
