import { describe, expect, it } from 'vitest';
import { prng as rng } from '../testing/prng';
import { JSON_INVALID, JSON_NULL, JSON_VALUE, MAX_DEPTH, checkJson } from './json-check';

const enc = new TextEncoder();
// what every receiver does (lib0's readVarString, then y-protocols' JSON.parse)
const receiverDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function reference(b: Uint8Array): number {
  let text: string;
  try {
    text = receiverDecoder.decode(b);
  } catch {
    return JSON_INVALID;
  }
  try {
    return JSON.parse(text) === null ? JSON_NULL : JSON_VALUE;
  } catch {
    return JSON_INVALID;
  }
}

const CHARS = ['a', 'Z', ' ', '"', '\\', '/', '\n', '\u0001', 'é', '€', '😀', '\u2028', '\ud800', '\ufeff', '0', '{', '['];
const NUMBERS = [0, -0, 1, -1, 3.25, 1e21, 1e-7, -123456789.5, Number.MAX_SAFE_INTEGER];

function randomValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 4 ? 5 : 8));
  switch (k) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return NUMBERS[Math.floor(r() * NUMBERS.length)] * (r() < 0.5 ? 1 : r());
    case 3:
    case 4: {
      let s = '';
      const n = Math.floor(r() * 8);
      for (let i = 0; i < n; i++) s += CHARS[Math.floor(r() * CHARS.length)];
      return s;
    }
    case 5:
    case 6: {
      const o: Record<string, unknown> = {};
      const n = Math.floor(r() * 4);
      for (let i = 0; i < n; i++) o[String(randomValue(r, 5))] = randomValue(r, depth + 1);
      return o;
    }
    default: {
      const n = Math.floor(r() * 4);
      return Array.from({ length: n }, () => randomValue(r, depth + 1));
    }
  }
}

/** Valid JSON, with random whitespace/indentation so whitespace handling is exercised too. */
function randomJson(r: () => number): Uint8Array {
  const v = randomValue(r, 0);
  const text = JSON.stringify(v, null, r() < 0.3 ? (r() < 0.5 ? 2 : '\t') : undefined);
  return enc.encode((r() < 0.2 ? ' \r\n' : '') + text + (r() < 0.2 ? '\n ' : ''));
}

const INTERESTING = [0x00, 0x09, 0x20, 0x22, 0x2c, 0x2d, 0x2e, 0x30, 0x3a, 0x45, 0x5b, 0x5c, 0x5d, 0x65, 0x6e, 0x75, 0x7b, 0x7d, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];

function mutate(r: () => number, b: Uint8Array): Uint8Array {
  const out = Array.from(b);
  const n = 1 + Math.floor(r() * 3);
  for (let m = 0; m < n; m++) {
    const pos = Math.floor(r() * (out.length + 1));
    const byte = r() < 0.7 ? INTERESTING[Math.floor(r() * INTERESTING.length)] : Math.floor(r() * 256);
    const op = Math.floor(r() * 4);
    if (op === 0) out.splice(pos, 0, byte);
    else if (op === 1) out.splice(pos, 1);
    else if (op === 2) out[Math.min(pos, out.length - 1)] = byte;
    else out.length = pos; // truncate
  }
  return new Uint8Array(out);
}

function agree(b: Uint8Array, seed: number): void {
  const got = checkJson(b);
  const want = reference(b);
  if (got !== want) {
    throw new Error(`seed ${seed}: checkJson=${got} JSON.parse=${want} for ${JSON.stringify(Buffer.from(b).toString('latin1'))}`);
  }
}

describe('checkJson', () => {
  it('classifies simple cases', () => {
    const c = (s: string) => checkJson(enc.encode(s));
    expect(c('null')).toBe(JSON_NULL);
    expect(c(' \n null\t')).toBe(JSON_NULL);
    expect(c('[null]')).toBe(JSON_VALUE);
    expect(c('{"user":{"name":"Ada","color":"#f00"},"cursor":{"x":1.5,"y":-2e3}}')).toBe(JSON_VALUE);
    expect(c('"\\u00e9\\n"')).toBe(JSON_VALUE);
    for (const bad of ['', ' ', 'nul', 'nulls', '{', '{"a"}', '{"a":1,}', '[1,]', '01', '1.', '.5', '-', '1e', '+1', "'a'", '"\\x"', '"\\u12g4"', '"a', 'NaN', '[]]', '{}{}']) {
      expect(c(bad), bad).toBe(JSON_INVALID);
    }
  });

  it('rejects invalid UTF-8 and a byte order mark (receivers decode with ignoreBOM, so JSON.parse sees U+FEFF)', () => {
    const bad = [
      [0x22, 0xc0, 0xaf, 0x22], // overlong
      [0x22, 0xed, 0xa0, 0x80, 0x22], // encoded surrogate
      [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22], // > U+10FFFF
      [0x22, 0xe2, 0x82, 0x22], // truncated sequence
      [0x22, 0x80, 0x22], // lone continuation
      [0xef, 0xbb, 0xbf, 0x6e, 0x75, 0x6c, 0x6c], // BOM + null
    ];
    for (const b of bad) expect(checkJson(new Uint8Array(b)), JSON.stringify(b)).toBe(JSON_INVALID);
    expect(checkJson(new Uint8Array([0x22, 0xf0, 0x9f, 0x98, 0x80, 0x22]))).toBe(JSON_VALUE);
  });

  it('limits nesting to MAX_DEPTH', () => {
    const nest = (d: number) => enc.encode('['.repeat(d) + '1' + ']'.repeat(d));
    expect(checkJson(nest(MAX_DEPTH))).toBe(JSON_VALUE);
    expect(checkJson(nest(MAX_DEPTH + 1))).toBe(JSON_INVALID);
    expect(checkJson(enc.encode('[{"a":'.repeat(40) + '1' + '}]'.repeat(40)))).toBe(JSON_INVALID);
  });

  it('checks a view into a larger buffer by its own bounds', () => {
    const whole = enc.encode('xx{"a":[1,2]}yy');
    expect(checkJson(whole.subarray(2, 13))).toBe(JSON_VALUE);
    expect(checkJson(whole.subarray(2, 12))).toBe(JSON_INVALID);
  });

  it('agrees with TextDecoder + JSON.parse on random valid JSON', () => {
    for (let seed = 1; seed <= 3000; seed++) agree(randomJson(rng(seed)), seed);
  });

  it('agrees with TextDecoder + JSON.parse on mutated JSON', () => {
    let rejected = 0;
    for (let seed = 1; seed <= 20000; seed++) {
      const r = rng(seed);
      const b = mutate(r, randomJson(r));
      agree(b, seed);
      if (checkJson(b) === JSON_INVALID) rejected++;
    }
    // the mutations must exercise both outcomes
    expect(rejected).toBeGreaterThan(2000);
    expect(rejected).toBeLessThan(19000);
  });

  it('agrees with TextDecoder + JSON.parse on random byte strings', () => {
    const alphabet = [...enc.encode('{}[],:"\\ntrufalse0123456789.eE+- u\t'), 0x80, 0xc3, 0xa9, 0xe2, 0xf0, 0x9f];
    for (let seed = 1; seed <= 20000; seed++) {
      const r = rng(seed);
      const b = new Uint8Array(Math.floor(r() * 12));
      for (let i = 0; i < b.length; i++) b[i] = r() < 0.9 ? alphabet[Math.floor(r() * alphabet.length)] : Math.floor(r() * 256);
      agree(b, seed);
    }
  });
});
