/**
 * Resize and rotate maths for a selection. A "frame" is the box the handles sit on: one shape's own
 * (possibly rotated) box, or the axis-aligned union of several shapes' bounds.
 */
import { centerOf, type Box } from './box';
import { rotateAround } from './vec';

export type Frame = Box & { rotation: number };
export type Handle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w';
export const HANDLES: readonly Handle[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];
const MIN_SIZE = 1;

/** A handle's position on the (rotated) frame, in board coordinates. */
export function handlePoint(frame: Frame, handle: Handle): { x: number; y: number } {
  const fx = handle.includes('w') ? 0 : handle.includes('e') ? 1 : 0.5;
  const fy = handle.includes('n') ? 0 : handle.includes('s') ? 1 : 0.5;
  return rotateAround({ x: frame.x + fx * frame.w, y: frame.y + fy * frame.h }, centerOf(frame), frame.rotation);
}

/** The rotate handle: above the top edge's middle, `offset` board units out. */
export function rotateHandlePoint(frame: Frame, offset: number): { x: number; y: number } {
  return rotateAround({ x: frame.x + frame.w / 2, y: frame.y - offset }, centerOf(frame), frame.rotation);
}

/**
 * The frame after dragging `handle` to board point p. The opposite side stays put; `keepAspect`
 * (shift) keeps the width:height ratio. Sizes never go below MIN_SIZE (no flipping).
 */
export function resizeFrame(frame: Frame, handle: Handle, p: { x: number; y: number }, keepAspect: boolean): Frame {
  const c0 = centerOf(frame);
  const q = rotateAround(p, c0, -frame.rotation);
  let left = frame.x;
  let right = frame.x + frame.w;
  let top = frame.y;
  let bottom = frame.y + frame.h;
  if (handle.includes('w')) left = Math.min(q.x, right - MIN_SIZE);
  if (handle.includes('e')) right = Math.max(q.x, left + MIN_SIZE);
  if (handle.includes('n')) top = Math.min(q.y, bottom - MIN_SIZE);
  if (handle.includes('s')) bottom = Math.max(q.y, top + MIN_SIZE);
  let w = right - left;
  let h = bottom - top;
  if (keepAspect && frame.w > 0 && frame.h > 0) {
    const corner = handle.length === 2;
    const scale = corner ? Math.max(w / frame.w, h / frame.h) : handle === 'n' || handle === 's' ? h / frame.h : w / frame.w;
    w = frame.w * scale;
    h = frame.h * scale;
    if (handle.includes('w')) left = right - w;
    else if (!handle.includes('e')) left = frame.x + (frame.w - w) / 2;
    else right = left + w;
    if (handle.includes('n')) top = bottom - h;
    else if (!handle.includes('s')) top = frame.y + (frame.h - h) / 2;
    else bottom = top + h;
  }
  // the new box was computed unrotated around the old centre; put its centre back on the board
  const c1 = rotateAround({ x: left + w / 2, y: top + h / 2 }, c0, frame.rotation);
  return { x: c1.x - w / 2, y: c1.y - h / 2, w, h, rotation: frame.rotation };
}

/** Maps a box inside `from` to the same relative place in `to` (both axis-aligned). */
export function mapBox(box: Box, from: Box, to: Box): Box {
  const sx = from.w > 0 ? to.w / from.w : 1;
  const sy = from.h > 0 ? to.h / from.h : 1;
  return { x: to.x + (box.x - from.x) * sx, y: to.y + (box.y - from.y) * sy, w: box.w * sx, h: box.h * sy };
}

/** Rotation delta for a drag from `start` to `p` around `center`; shift snaps to 15 degrees. */
export function rotationDelta(center: { x: number; y: number }, start: { x: number; y: number }, p: { x: number; y: number }, snap: boolean): number {
  const delta = Math.atan2(p.y - center.y, p.x - center.x) - Math.atan2(start.y - center.y, start.x - center.x);
  const step = Math.PI / 12;
  return snap ? Math.round(delta / step) * step : delta;
}

/** Normalises an angle to (-PI, PI]. */
export function normalizeAngle(a: number): number {
  let r = a % (2 * Math.PI);
  if (r > Math.PI) r -= 2 * Math.PI;
  if (r <= -Math.PI) r += 2 * Math.PI;
  return Math.abs(r) < 1e-9 ? 0 : r;
}
