/**
 * Frame timing for the browser benchmarks (bench:canvas, bench:images): requestAnimationFrame deltas
 * recorded in the page while an action runs, and the canvas' own render times.
 */
import type { Page } from '@playwright/test';

export const TARGET_MS = 16.7;
/**
 * rAF timestamps are vsync-aligned: a frame that made its vsync at 60 Hz measures 16.67 ms give or
 * take timer jitter (16.8 is typical), so "p95 <= 16.7" is judged with this much slack. A frame that
 * missed its vsync measures 33.3 ms or more, far outside it.
 */
export const VSYNC_JITTER_MS = 0.5;
/** A delta above this missed at least one vsync. */
export const LATE_MS = TARGET_MS * 1.5;

export type Stats = { frames: number; p50: number; p95: number; max: number; latePct: number };

export function stats(values: number[]): Stats {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => (v.length ? v[Math.min(v.length - 1, Math.floor(q * v.length))] : NaN);
  const late = v.filter((d) => d > LATE_MS).length;
  return { frames: v.length, p50: +at(0.5).toFixed(2), p95: +at(0.95).toFixed(2), max: +(v[v.length - 1] ?? NaN).toFixed(2), latePct: v.length ? +((100 * late) / v.length).toFixed(1) : NaN };
}

type RenderApi = { getRenderTimes?(): number[] };

/** Runs `act` while recording rAF deltas and the canvas' render times. */
export async function measure(page: Page, steps: number, act: () => Promise<void>): Promise<{ frame: Stats; render: Stats }> {
  // a string, not a function: tsx would wrap named inner functions in a __name helper the page lacks
  await page.evaluate(`(() => {
    window.__deltas = [];
    window.__stop = false;
    let last = 0;
    const tick = (t) => {
      if (last) window.__deltas.push(t - last);
      last = t;
      if (!window.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await act();
  const { deltas, renders } = await page.evaluate(() => {
    const w = window as unknown as { __deltas: number[]; __stop: boolean };
    w.__stop = true;
    const api = window.commonboard as unknown as RenderApi;
    return { deltas: w.__deltas, renders: api.getRenderTimes ? api.getRenderTimes() : [] };
  });
  // the render log keeps the last 240 renders: the newest `steps` are this run's (one per input event)
  return { frame: stats(deltas.slice(2)), render: stats(renders.slice(-Math.min(renders.length, steps))) };
}
