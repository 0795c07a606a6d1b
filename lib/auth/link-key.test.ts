/** Share-link keys in URLs and in storage: fragment and legacy query, expiry after 30 days unused. */
import { describe, expect, it } from 'vitest';
import { decodeStoredKey, encodeStoredKey, KEY_MAX_AGE_MS, keyOfLink, linkUrl, takeKeyFromUrl } from './link-key';

const KEY = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const DAY = 24 * 60 * 60 * 1000;

describe('share-link URLs', () => {
  it('carry the key in the fragment, never in the query', () => {
    const url = linkUrl('https://board.example', 'board_1', KEY);
    expect(url).toBe(`https://board.example/b/board_1#key=${KEY}`);
    expect(new URL(url).search).toBe('');
    expect(keyOfLink(url)).toBe(KEY);
  });

  it('takes the key from #key= and leaves the rest of the address', () => {
    expect(takeKeyFromUrl(`http://h/b/x?name=Ada#key=${KEY}`)).toEqual({ key: KEY, from: 'hash', cleanUrl: '/b/x?name=Ada' });
    expect(takeKeyFromUrl(`http://h/b/x#key=${KEY}&other=1`)).toEqual({ key: KEY, from: 'hash', cleanUrl: '/b/x#other=1' });
  });

  it('still takes a legacy ?key= and removes it from the address', () => {
    expect(takeKeyFromUrl(`http://h/b/x?key=${KEY}&name=Ada`)).toEqual({ key: KEY, from: 'query', cleanUrl: '/b/x?name=Ada' });
    expect(keyOfLink(`/b/x?key=${KEY}`)).toBe(KEY);
  });

  it('prefers the fragment when both are there, and removes both', () => {
    const other = 'Z'.repeat(32);
    expect(takeKeyFromUrl(`http://h/b/x?key=${other}#key=${KEY}`)).toEqual({ key: KEY, from: 'hash', cleanUrl: '/b/x' });
  });

  it('removes a malformed key without using it', () => {
    expect(takeKeyFromUrl('http://h/b/x#key=<script>')).toEqual({ key: null, from: null, cleanUrl: '/b/x' });
    expect(takeKeyFromUrl('http://h/b/x?key=short')).toEqual({ key: null, from: null, cleanUrl: '/b/x' });
  });

  it('leaves an address without a key alone', () => {
    expect(takeKeyFromUrl('http://h/b/x?name=Ada#zoom')).toEqual({ key: null, from: null, cleanUrl: null });
  });
});

describe('remembered keys', () => {
  const now = Date.UTC(2025, 0, 31);

  it('are valid until 30 days after their last use', () => {
    expect(decodeStoredKey(encodeStoredKey(KEY, now - 29 * DAY), now)).toEqual({ key: KEY, usedAt: now - 29 * DAY });
    expect(decodeStoredKey(encodeStoredKey(KEY, now - KEY_MAX_AGE_MS), now)).toEqual({ key: KEY, usedAt: now - KEY_MAX_AGE_MS });
    expect(decodeStoredKey(encodeStoredKey(KEY, now - KEY_MAX_AGE_MS - 1), now)).toBe('expired');
    expect(decodeStoredKey(encodeStoredKey(KEY, now - 31 * DAY), now)).toBe('expired');
  });

  it('count a bare key (stored before expiry existed) as used now', () => {
    expect(decodeStoredKey(KEY, now)).toEqual({ key: KEY, usedAt: now });
  });

  it('treat unreadable or tampered entries as expired, and nothing as nothing', () => {
    expect(decodeStoredKey(null, now)).toBeNull();
    for (const raw of ['{', '[]', 'null', '{"key":"x","usedAt":1}', `{"key":"${KEY}"}`, `{"key":"${KEY}","usedAt":"1"}`]) {
      expect(decodeStoredKey(raw, now), raw).toBe('expired');
    }
  });

  it('do not live forever with a time in the future', () => {
    expect(decodeStoredKey(encodeStoredKey(KEY, now + 60_000), now)).toEqual({ key: KEY, usedAt: now + 60_000 }); // small skew
    expect(decodeStoredKey(encodeStoredKey(KEY, now + 365 * DAY), now)).toBe('expired');
  });
});
