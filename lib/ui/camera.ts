/** Camera maths: screen (canvas CSS pixels) <-> board coordinates. screen = (board + pan) * zoom. */
export type Camera = { x: number; y: number; zoom: number };
export type Point = { x: number; y: number };

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 8;
export const IDENTITY_CAMERA: Camera = { x: 0, y: 0, zoom: 1 };

export function screenToBoard(camera: Camera, p: Point): Point {
  return { x: p.x / camera.zoom - camera.x, y: p.y / camera.zoom - camera.y };
}

export function boardToScreen(camera: Camera, p: Point): Point {
  return { x: (p.x + camera.x) * camera.zoom, y: (p.y + camera.y) * camera.zoom };
}

/** Pans by a screen-space delta (wheel or drag). */
export function panBy(camera: Camera, dx: number, dy: number): Camera {
  return { ...camera, x: camera.x + dx / camera.zoom, y: camera.y + dy / camera.zoom };
}

/** Zooms by `factor`, keeping the board point under `screen` fixed. */
export function zoomAt(camera: Camera, screen: Point, factor: number): Camera {
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, camera.zoom * factor));
  const anchor = screenToBoard(camera, screen);
  return { zoom, x: screen.x / zoom - anchor.x, y: screen.y / zoom - anchor.y };
}
