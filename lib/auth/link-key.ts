/**
 * Share-link keys in page URLs and in the browser's storage (pure: no DOM, unit-tested).
 *
 * A link carries its key in the fragment, `/b/<id>#key=<key>`: a fragment is never sent to a server
 * and never appears in a Referer. Links from before that change carry `?key=`, which still works.
 * Either way the page takes the key off the address bar and remembers it per board with the time it
 * was last used; a key unused for KEY_MAX_AGE_MS is forgotten.
 */

export const KEY_PREFIX = 'commonboard:key:';
/** How long a remembered key lasts after it was last used. */
export const KEY_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
/** Same shape as the server's keySchema (lib/auth/request.ts): anything else is ignored. */
/** Clock skew tolerated on a stored time before it counts as bogus. */
const FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;
const KEY_RE = /^[A-Za-z0-9_-]{16,128}$/;

export type TakenKey = { key: string | null; from: 'hash' | 'query' | null; cleanUrl: string | null };

/** Path, query and fragment of a URL, for history.replaceState. */
function relative(url: URL): string {
  return url.pathname + url.search + url.hash;
}

/**
 * The key a page URL carries (fragment first, then the legacy query), and the URL without it
 * (`cleanUrl`, null when there was nothing to remove). A malformed key is removed and not returned.
 */
export function takeKeyFromUrl(href: string): TakenKey {
  const url = new URL(href);
  const hash = new URLSearchParams(url.hash.replace(/^#/, ''));
  const fromHash = hash.get('key');
  const fromQuery = url.searchParams.get('key');
  if (fromHash === null && fromQuery === null) return { key: null, from: null, cleanUrl: null };
  hash.delete('key');
  url.searchParams.delete('key');
  const rest = hash.toString();
  url.hash = rest ? `#${rest}` : '';
  const cleanUrl = relative(url);
  const raw = fromHash ?? fromQuery;
  const key = raw !== null && KEY_RE.test(raw) ? raw : null;
  return { key, from: key === null ? null : fromHash !== null ? 'hash' : 'query', cleanUrl };
}

/** The stored form of a key: JSON with the time it was last used. */
export function encodeStoredKey(key: string, usedAt: number): string {
  return JSON.stringify({ key, usedAt });
}

export type StoredKey = { key: string; usedAt: number } | 'expired' | null;

/**
 * A remembered key if it is still valid at `now`; 'expired' if it must be removed; null if there is
 * none or it is unreadable. A bare string is the format before expiry existed: it counts as used now
 * (its 30 days start at the first visit after the upgrade).
 */
export function decodeStoredKey(raw: string | null, now: number, maxAgeMs = KEY_MAX_AGE_MS): StoredKey {
  if (raw === null) return null;
  if (KEY_RE.test(raw)) return { key: raw, usedAt: now };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return 'expired';
  }
  if (typeof parsed !== 'object' || parsed === null) return 'expired';
  const { key, usedAt } = parsed as { key?: unknown; usedAt?: unknown };
  if (typeof key !== 'string' || !KEY_RE.test(key) || typeof usedAt !== 'number' || !Number.isFinite(usedAt)) return 'expired';
  // more than a day in the future: a forged entry or a broken clock, not a use
  if (now - usedAt > maxAgeMs || usedAt - now > FUTURE_SKEW_MS) return 'expired';
  return { key, usedAt };
}

/** The key of a share-link URL (absolute or relative), from its fragment or its legacy query. */
export function keyOfLink(link: string): string | null {
  return takeKeyFromUrl(new URL(link, 'http://placeholder').href).key;
}

/** Absolute page URL of a share link: the key goes in the fragment. */
export function linkUrl(origin: string, boardId: string, key: string): string {
  return `${origin}/b/${encodeURIComponent(boardId)}#key=${encodeURIComponent(key)}`;
}
