/**
 * Fractional-index keys for z-order. A key is a base-62 fraction "0.<digits>" written as its digits
 * ('0'-'9' < 'A'-'Z' < 'a'-'z', so ASCII order is numeric order) with no trailing '0'. Between any two
 * keys there is always another, so moving a shape in z-order rewrites one field, not a list.
 *
 * Two users inserting at the same spot at once would compute the same midpoint; keyBetween appends a
 * few random digits so their keys almost surely differ (exact ties are broken by shape id).
 */

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
const KEY_PATTERN = /^[0-9A-Za-z]*[1-9A-Za-z]$/;
const MAX_KEY_LENGTH = 256;
const JITTER_DIGITS = 3;
const APPEND_DEPTH = 4;

export function isIndexKey(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_KEY_LENGTH && KEY_PATTERN.test(value);
}

function digit(ch: string | undefined): number {
  return ch === undefined ? 0 : DIGITS.indexOf(ch);
}

/**
 * A key strictly between a ('' = 0) and b (null = 1), never a prefix of b (so that appending
 * digits keeps it below b).
 */
function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while (n < b.length && (a[n] ?? '0') === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const da = digit(a[0]);
  // unbounded above (appending): step by one digit, so 60 appends fit before a key grows longer
  if (b === null && da < BASE - 1) return DIGITS[da + 1];
  const db = b === null ? BASE : digit(b[0]);
  if (db - da > 1) return DIGITS[Math.floor((da + db) / 2)];
  // adjacent first digits: keep a's digit and go one level deeper, unbounded above
  return DIGITS[da] + midpoint(a.slice(1), null);
}

/**
 * A key after `a` with no upper bound. Appending is by far the most common insert (every new shape goes
 * on top), so it steps in the 4th digit: 62^4 (about 14.7 million) appends fit before keys grow, where
 * stepping the first digit grew keys by one character every few dozen appends.
 */
function after(a: string): string {
  const digits = Array.from((a + '0'.repeat(APPEND_DEPTH)).slice(0, APPEND_DEPTH), (ch) => digit(ch));
  let i = APPEND_DEPTH - 1;
  while (i >= 0 && digits[i] === BASE - 1) digits[i--] = 0;
  // all 'z' at that depth: extend `a` itself, which stays above it because `a` is a prefix
  if (i < 0) return a + DIGITS[BASE >> 1];
  digits[i]++;
  return digits.slice(0, i + 1).map((d) => DIGITS[d]).join('');
}

function randomDigits(count: number, random: () => number): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    // last digit nonzero keeps the "no trailing 0" invariant
    const min = i === count - 1 ? 1 : 0;
    out += DIGITS[min + Math.floor(random() * (BASE - min))];
  }
  return out;
}

/**
 * A key that sorts strictly after `a` and before `b` (null = no bound on that side).
 * `random` is injectable for deterministic tests; pass `() => 0.5`-style functions there.
 */
export function keyBetween(a: string | null, b: string | null, random: () => number = Math.random): string {
  if (a !== null && !isIndexKey(a)) throw new Error(`invalid index key: ${a}`);
  if (b !== null && !isIndexKey(b)) throw new Error(`invalid index key: ${b}`);
  if (a !== null && b !== null && a >= b) throw new Error(`index keys out of order: ${a} >= ${b}`);
  return (b === null ? after(a ?? '') : midpoint(a ?? '', b)) + randomDigits(JITTER_DIGITS, random);
}

/** Compares two shapes' z-order: by key, then by id so that equal keys still sort the same everywhere. */
export function compareIndex(a: { index: string; id: string }, b: { index: string; id: string }): number {
  if (a.index !== b.index) return a.index < b.index ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
