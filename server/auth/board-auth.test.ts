import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../lib/protocol/close-codes';
import { createLogger } from '../logger';
import type { Storage } from '../persistence/storage';
import { BoardAuth, type Grant } from './board-auth';

class Conn {
  closedWith: number | null = null;
  close(code: number): void {
    this.closedWith = code;
  }
}

const grant = (version: number | null, boardId = 'b1'): Grant => ({
  boardId,
  role: 'editor',
  name: 'n',
  link: version === null ? null : { kind: 'edit', version },
});

describe('BoardAuth live connections', () => {
  const auth = () => new BoardAuth(new Uint8Array(32), {} as Storage, createLogger('silent'));

  it('closes only connections of older link versions of that board and kind; leave() forgets', () => {
    const a = auth();
    const old1 = new Conn();
    const old2 = new Conn();
    const current = new Conn();
    const operator = new Conn();
    const otherBoard = new Conn();
    expect(a.enter(grant(1), old1)).toBe(true);
    expect(a.enter(grant(1), old2)).toBe(true);
    expect(a.enter(grant(2), current)).toBe(true);
    expect(a.enter(grant(null), operator)).toBe(true);
    expect(a.enter(grant(1, 'b2'), otherBoard)).toBe(true);
    a.leave('b1', old2);
    expect(a.revokeLink('b1', 'edit', 2)).toBe(1);
    expect(old1.closedWith).toBe(CloseCode.Unauthorized);
    expect([old2, current, operator, otherBoard].map((c) => c.closedWith)).toEqual([null, null, null, null]);
  });

  it('refuses (and closes) a connection whose link was rotated after authorize', () => {
    const a = auth();
    a.revokeLink('b1', 'edit', 3);
    const late = new Conn();
    expect(a.enter(grant(2), late)).toBe(false);
    expect(late.closedWith).toBe(CloseCode.Unauthorized);
    const untrack = a.track(grant(3), new Conn());
    untrack();
    expect(a.revokeLink('b1', 'edit', 4)).toBe(0);
  });
});
