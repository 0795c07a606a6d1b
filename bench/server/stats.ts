/** Small numeric helpers for the bench report. */

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles; sorts a copy. NaN when there are no samples. */
export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const at = (q: number) => (n === 0 ? NaN : sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]);
  return { n, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: n === 0 ? NaN : sorted[n - 1] };
}

export function concatFloat64(parts: ArrayLike<number>[]): Float64Array {
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Float64Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Rounds for display/JSON: 2 decimals under 10, 1 under 100, integers above. */
export function round(v: number): number {
  if (!Number.isFinite(v)) return v;
  const a = Math.abs(v);
  const d = a < 10 ? 100 : a < 100 ? 10 : 1;
  return Math.round(v * d) / d;
}

export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN;
}
