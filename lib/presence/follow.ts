/**
 * Follow-mode and activity maths. A follower shows the leader's viewport centre, at the zoom that
 * fits the leader's whole viewport into the follower's screen (equal to the leader's zoom when
 * the screens are the same size).
 */
import { MAX_ZOOM, MIN_ZOOM, type Camera } from '../ui/camera';
import type { Activity, Viewport } from './awareness';

export type Size = { width: number; height: number };

/** The board rectangle a camera shows on a screen of `size` CSS pixels. */
export function viewOf(camera: Camera, size: Size): Viewport {
  return { x: -camera.x, y: -camera.y, w: size.width / camera.zoom, h: size.height / camera.zoom };
}

/** The camera that shows `view` centred and fitted on a screen of `size`. */
export function cameraForView(view: Viewport, size: Size): Camera {
  const fit = Math.min(size.width / view.w, size.height / view.h);
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, fit));
  const cx = view.x + view.w / 2;
  const cy = view.y + view.h / 2;
  return { zoom, x: size.width / 2 / zoom - cx, y: size.height / 2 / zoom - cy };
}

/** True if two cameras differ by more than rounding (awareness rounds views to 0.1 board units). */
export function camerasDiffer(a: Camera, b: Camera): boolean {
  return Math.abs(a.x - b.x) > 0.5 || Math.abs(a.y - b.y) > 0.5 || Math.abs(a.zoom - b.zoom) > 1e-3;
}

export const DEFAULT_IDLE_AFTER_MS = 60_000;

/** Away wins over idle: a hidden tab is away however recently it was used. */
export function activityOf(lastInputAt: number, now: number, hidden: boolean, idleAfterMs = DEFAULT_IDLE_AFTER_MS): Activity {
  if (hidden) return 'away';
  return now - lastInputAt >= idleAfterMs ? 'idle' : 'active';
}

/** Presence options from the page URL: ?interpolate=0, ?presenceHz=, ?idleAfter= (ms). */
export type PresenceSettings = { interpolate: boolean; hz: number | null; idleAfterMs: number };

export function parsePresenceSettings(params: URLSearchParams): PresenceSettings {
  const idle = Number(params.get('idleAfter'));
  const hz = params.get('presenceHz');
  return {
    interpolate: params.get('interpolate') !== '0',
    hz: hz === null || !Number.isFinite(Number(hz)) ? null : Number(hz),
    idleAfterMs: Number.isFinite(idle) && idle >= 1000 && idle <= 3_600_000 ? idle : DEFAULT_IDLE_AFTER_MS,
  };
}
