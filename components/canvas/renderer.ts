/**
 * Canvas 2D drawing of the scene. Pure drawing: no state, no DOM beyond the context it is given.
 * Shapes outside the viewport are skipped, so cost scales with what is visible.
 */
import type { Shape } from '@/lib/board';
import type { Camera } from '@/lib/ui/camera';

/** A rectangle being drawn ('shape') or the selection brush ('brush'), in board coordinates. */
export type Draft = { x: number; y: number; w: number; h: number; kind: 'shape' | 'brush' } | null;

export type Scene = {
  shapes: readonly Shape[];
  camera: Camera;
  /** Canvas size in CSS pixels. */
  width: number;
  height: number;
  dpr: number;
  draft: Draft;
};

const GRID = 40;

function drawGrid(ctx: CanvasRenderingContext2D, { camera, width, height }: Scene): void {
  const step = GRID * camera.zoom;
  if (step < 8) return; // too dense to be useful when zoomed far out
  ctx.fillStyle = '#cbd5e1';
  const ox = (camera.x * camera.zoom) % step;
  const oy = (camera.y * camera.zoom) % step;
  for (let x = ox < 0 ? ox + step : ox; x < width; x += step) {
    for (let y = oy < 0 ? oy + step : oy; y < height; y += step) ctx.fillRect(x - 0.75, y - 0.75, 1.5, 1.5);
  }
}

function drawRect(ctx: CanvasRenderingContext2D, s: Shape): void {
  ctx.save();
  ctx.globalAlpha = s.style.opacity;
  if (s.rotation !== 0) {
    ctx.translate(s.x + s.w / 2, s.y + s.h / 2);
    ctx.rotate(s.rotation);
    ctx.translate(-(s.x + s.w / 2), -(s.y + s.h / 2));
  }
  if (s.style.fill !== 'none') {
    ctx.fillStyle = s.style.stroke;
    ctx.fillRect(s.x, s.y, s.w, s.h);
  }
  if (s.style.strokeWidth > 0) {
    ctx.strokeStyle = s.style.stroke;
    ctx.lineWidth = s.style.strokeWidth;
    ctx.lineJoin = 'round';
    ctx.strokeRect(s.x, s.y, s.w, s.h);
  }
  ctx.restore();
}

export function drawScene(ctx: CanvasRenderingContext2D, scene: Scene): void {
  const { camera, width, height, dpr } = scene;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  drawGrid(ctx, scene);
  ctx.setTransform(dpr * camera.zoom, 0, 0, dpr * camera.zoom, dpr * camera.x * camera.zoom, dpr * camera.y * camera.zoom);
  // visible board rectangle, with a margin for strokes and rotation
  const left = -camera.x - 50;
  const top = -camera.y - 50;
  const right = width / camera.zoom - camera.x + 50;
  const bottom = height / camera.zoom - camera.y + 50;
  for (const s of scene.shapes) {
    const r = Math.max(s.w, s.h); // rotation-safe bound
    if (s.x + r < left || s.y + r < top || s.x - r > right || s.y - r > bottom) continue;
    switch (s.type) {
      case 'rect':
        drawRect(ctx, s);
        break;
    }
  }
  if (scene.draft) {
    const d = scene.draft;
    ctx.save();
    if (d.kind === 'brush') {
      ctx.fillStyle = 'rgba(37, 99, 235, 0.08)';
      ctx.fillRect(d.x, d.y, d.w, d.h);
    }
    ctx.setLineDash([6 / camera.zoom, 4 / camera.zoom]);
    ctx.strokeStyle = '#2563eb';
    ctx.lineWidth = 1.5 / camera.zoom;
    ctx.strokeRect(d.x, d.y, d.w, d.h);
    ctx.restore();
  }
}
