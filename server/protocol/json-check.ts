/**
 * Byte-level check that a presence state is well-formed UTF-8 JSON, without decoding it: the
 * server relays states as raw bytes and only needs to know that every receiver's
 * `JSON.parse(readVarString(...))` (y-protocols; lib0 decodes with fatal + ignoreBOM) will accept
 * them, and whether the state is `null` (= left). TextDecoder + JSON.parse per state was ~9 % of a
 * busy server's CPU, mostly allocation.
 *
 * Agrees with `JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b))`
 * on every input (json-check.test.ts fuzzes this), except that nesting deeper than MAX_DEPTH is
 * rejected (JSON.parse would accept it; no presence state needs it). Iterative, allocation-free.
 */

export const JSON_INVALID = 0;
export const JSON_VALUE = 1;
/** The value is the literal `null` (surrounding whitespace allowed). */
export const JSON_NULL = 2;
export type JsonCheck = typeof JSON_INVALID | typeof JSON_VALUE | typeof JSON_NULL;

/** Deepest nesting of objects/arrays accepted. */
export const MAX_DEPTH = 64;

const OBJ = 1;
const ARR = 2;
/** Open containers of the check in progress; module-level because the check never re-enters. */
const stack = new Uint8Array(MAX_DEPTH);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

function skipWs(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

const isCont = (c: number): boolean => (c & 0xc0) === 0x80;

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

/** `i` is just past the opening quote; returns the index past the closing quote, or -1. */
function scanString(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i++];
    if (c === QUOTE) return i;
    if (c < 0x20) return -1;
    if (c === BACKSLASH) {
      if (i >= end) return -1;
      const e = b[i++];
      if (e === 0x75 /* u */) {
        if (i + 4 > end || !isHex(b[i]) || !isHex(b[i + 1]) || !isHex(b[i + 2]) || !isHex(b[i + 3])) return -1;
        i += 4;
      } else if (e !== QUOTE && e !== BACKSLASH && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) {
        return -1;
      }
    } else if (c >= 0x80) {
      // UTF-8 well-formedness (Unicode table 3-7): no overlongs, no surrogates, nothing past U+10FFFF
      if (c >= 0xc2 && c <= 0xdf) {
        if (i >= end || !isCont(b[i])) return -1;
        i += 1;
      } else if (c >= 0xe0 && c <= 0xef) {
        if (i + 1 >= end) return -1;
        const c1 = b[i];
        const lo = c === 0xe0 ? 0xa0 : 0x80;
        const hi = c === 0xed ? 0x9f : 0xbf;
        if (c1 < lo || c1 > hi || !isCont(b[i + 1])) return -1;
        i += 2;
      } else if (c >= 0xf0 && c <= 0xf4) {
        if (i + 2 >= end) return -1;
        const c1 = b[i];
        const lo = c === 0xf0 ? 0x90 : 0x80;
        const hi = c === 0xf4 ? 0x8f : 0xbf;
        if (c1 < lo || c1 > hi || !isCont(b[i + 1]) || !isCont(b[i + 2])) return -1;
        i += 3;
      } else {
        return -1;
      }
    }
  }
  return -1;
}

function scanDigits(b: Uint8Array, i: number, end: number): number {
  const start = i;
  while (i < end && b[i] >= 0x30 && b[i] <= 0x39) i++;
  return i === start ? -1 : i;
}

/** `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`; returns the index past it, or -1. */
function scanNumber(b: Uint8Array, i: number, end: number): number {
  if (b[i] === 0x2d) i++;
  if (i >= end) return -1;
  if (b[i] === 0x30) i++;
  else if ((i = scanDigits(b, i, end)) < 0) return -1;
  if (i < end && b[i] === 0x2e) {
    if ((i = scanDigits(b, i + 1, end)) < 0) return -1;
  }
  if (i < end && (b[i] | 0x20) === 0x65) {
    i++;
    if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) i++;
    if ((i = scanDigits(b, i, end)) < 0) return -1;
  }
  return i;
}

function scanLiteral(b: Uint8Array, i: number, end: number, lit: readonly number[]): number {
  if (i + lit.length > end) return -1;
  for (let k = 0; k < lit.length; k++) if (b[i + k] !== lit[k]) return -1;
  return i + lit.length;
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

/** `"key" ws : ws` at `i`; returns the index of the value, or -1. */
function scanKey(b: Uint8Array, i: number, end: number): number {
  if (i >= end || b[i] !== QUOTE) return -1;
  i = scanString(b, i + 1, end);
  if (i < 0) return -1;
  i = skipWs(b, i, end);
  if (i >= end || b[i] !== COLON) return -1;
  return skipWs(b, i + 1, end);
}

/** Checks `b` as one complete JSON text in UTF-8. */
export function checkJson(b: Uint8Array): JsonCheck {
  const end = b.length;
  let depth = 0;
  let isNull = false;
  let i = skipWs(b, 0, end);
  for (;;) {
    // a value starts at i
    if (i >= end) return JSON_INVALID;
    const c = b[i];
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const close = c + 2; // } and ]
      i = skipWs(b, i + 1, end);
      if (i < end && b[i] === close) {
        i++;
      } else {
        if (depth === MAX_DEPTH) return JSON_INVALID;
        stack[depth++] = c === 0x7b ? OBJ : ARR;
        if (c === 0x7b && (i = scanKey(b, i, end)) < 0) return JSON_INVALID;
        continue;
      }
    } else if (c === QUOTE) {
      i = scanString(b, i + 1, end);
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      i = scanNumber(b, i, end);
    } else if (c === 0x74) {
      i = scanLiteral(b, i, end, TRUE);
    } else if (c === 0x66) {
      i = scanLiteral(b, i, end, FALSE);
    } else if (c === 0x6e) {
      i = scanLiteral(b, i, end, NULL);
      isNull = depth === 0;
    } else {
      return JSON_INVALID;
    }
    if (i < 0) return JSON_INVALID;
    // after a value: close containers until a comma starts the next value
    for (;;) {
      i = skipWs(b, i, end);
      if (depth === 0) return i !== end ? JSON_INVALID : isNull ? JSON_NULL : JSON_VALUE;
      if (i >= end) return JSON_INVALID;
      const inObj = stack[depth - 1] === OBJ;
      const d = b[i];
      if (d === COMMA) {
        i = skipWs(b, i + 1, end);
        if (inObj && (i = scanKey(b, i, end)) < 0) return JSON_INVALID;
        break;
      }
      if (d !== (inObj ? 0x7d : 0x5d)) return JSON_INVALID;
      i++;
      depth--;
    }
  }
}
