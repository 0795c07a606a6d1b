import { describe, expect, it } from 'vitest';
import type { ShapeId } from '../board/schema';
import { boardToScreen, IDENTITY_CAMERA, MAX_ZOOM, panBy, screenToBoard, zoomAt } from './camera';
import { addRecent, forgetRecent, parseRecent } from './recent-boards';
import { defaultSyncUrl, parseSyncUrl } from './sync-url';
import { useUiStore } from './ui-store';

describe('camera', () => {
  it('identity camera maps screen to board one to one', () => {
    expect(screenToBoard(IDENTITY_CAMERA, { x: 12, y: 34 })).toEqual({ x: 12, y: 34 });
  });

  it('screen and board conversions are inverse after pans and zooms', () => {
    let cam = panBy(IDENTITY_CAMERA, 30, -20);
    cam = zoomAt(cam, { x: 100, y: 50 }, 2.5);
    const p = { x: 321, y: -45 };
    const back = screenToBoard(cam, boardToScreen(cam, p));
    expect(back.x).toBeCloseTo(p.x);
    expect(back.y).toBeCloseTo(p.y);
  });

  it('zoomAt keeps the point under the pointer fixed and clamps the zoom', () => {
    const anchor = { x: 200, y: 120 };
    const before = screenToBoard(IDENTITY_CAMERA, anchor);
    const cam = zoomAt(IDENTITY_CAMERA, anchor, 1000);
    expect(cam.zoom).toBe(MAX_ZOOM);
    const after = screenToBoard(cam, anchor);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });
});

describe('recent boards', () => {
  it('parses newest first and drops malformed entries', () => {
    const raw = JSON.stringify([
      { id: 'old', visitedAt: 1 },
      { id: 'new', visitedAt: 5 },
      { id: 'bad id!', visitedAt: 9 },
      { id: 'x', visitedAt: 'yesterday' },
      null,
    ]);
    expect(parseRecent(raw).map((b) => b.id)).toEqual(['new', 'old']);
    expect(parseRecent('{not json')).toEqual([]);
    expect(parseRecent('{"id":"a"}')).toEqual([]);
    expect(parseRecent(null)).toEqual([]);
  });

  it('moves a revisited board to the front without duplicating it', () => {
    const list = addRecent(addRecent(addRecent([], 'a', 1), 'b', 2), 'a', 3);
    expect(list).toEqual([
      { id: 'a', visitedAt: 3 },
      { id: 'b', visitedAt: 2 },
    ]);
  });

  it('forgets a deleted board', () => {
    expect(forgetRecent(addRecent(addRecent([], 'a', 1), 'b', 2), 'a')).toEqual([{ id: 'b', visitedAt: 2 }]);
  });
});

describe('sync URL', () => {
  it('accepts ws and wss URLs and strips a trailing slash', () => {
    expect(parseSyncUrl('ws://127.0.0.1:4411')).toBe('ws://127.0.0.1:4411');
    expect(parseSyncUrl('wss://sync.example.org/')).toBe('wss://sync.example.org');
    expect(parseSyncUrl(undefined)).toBeUndefined();
    expect(parseSyncUrl('  ')).toBeUndefined();
  });

  it('rejects anything else with a clear error', () => {
    expect(() => parseSyncUrl('http://host:1234')).toThrow(/ws:\/\/ or wss:\/\//);
    expect(() => parseSyncUrl('not a url')).toThrow(/SYNC_URL/);
    expect(() => parseSyncUrl('ws://host?token=1')).toThrow(/query/);
  });

  it('derives the default from the page location', () => {
    expect(defaultSyncUrl({ protocol: 'http:', hostname: 'localhost' })).toBe('ws://localhost:1234');
    expect(defaultSyncUrl({ protocol: 'https:', hostname: 'board.example' })).toBe('wss://board.example:1234');
    expect(defaultSyncUrl({ protocol: 'http:', hostname: '::1' })).toBe('ws://[::1]:1234');
  });
});

describe('ui store', () => {
  it('selecting the same ids again wakes no subscriber', () => {
    const [a, b] = ['a', 'b'] as ShapeId[];
    const changes: unknown[] = [];
    const stop = useUiStore.subscribe((s, prev) => {
      if (s.selection !== prev.selection) changes.push(s.selection);
    });
    useUiStore.getState().select([a, b]);
    useUiStore.getState().select([a, b]);
    useUiStore.getState().select([b, a]);
    stop();
    expect(changes).toEqual([
      [a, b],
      [b, a],
    ]);
  });
});
