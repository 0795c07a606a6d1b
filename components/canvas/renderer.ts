/**
 * Canvas 2D drawing of the scene. Pure drawing: no state, no DOM beyond the context it is given.
 * Only shapes the spatial index reports inside the viewport are painted, so the cost of a frame
 * scales with what is visible, not with the board.
 */
import type { Shape, ShapeCache } from '@/lib/board';
import type { Box } from '@/lib/geometry/box';
import type { Camera } from '@/lib/ui/camera';
import { canvasPalette, darkShape, type CanvasPalette } from '@/lib/ui/theme';
import type { Draft } from '../editor/types';
import { LOD_ZOOM, paintSimplified } from './lod-painter';
import { batchKey, geoPath, paintShape, strokeBatch } from './shape-painter';


export type Scene = {
  cache: ShapeCache;
  camera: Camera;
  /** Canvas size in CSS pixels. */
  width: number;
  height: number;
  dpr: number;
  grid: boolean;
  draft: Draft;
  /** Shapes dimmed because the eraser is over them. */
  erasing: ReadonlySet<string>;
};

const GRID = 40;

function drawGrid(ctx: CanvasRenderingContext2D, { camera, width, height }: Scene): void {
  let step = GRID * camera.zoom;
  while (step < 12) step *= 5; // keep the grid readable when zoomed far out
  ctx.fillStyle = canvasPalette().grid;
  const ox = (camera.x * camera.zoom) % step;
  const oy = (camera.y * camera.zoom) % step;
  for (let x = ox < 0 ? ox + step : ox; x < width; x += step) {
    for (let y = oy < 0 ? oy + step : oy; y < height; y += step) ctx.fillRect(x - 0.75, y - 0.75, 1.5, 1.5);
  }
}

/** The board rectangle on screen. */
export function viewportBox(camera: Camera, width: number, height: number): Box {
  return { x: -camera.x, y: -camera.y, w: width / camera.zoom, h: height / camera.zoom };
}

export function drawScene(ctx: CanvasRenderingContext2D, scene: Scene): void {
  const { camera, width, height, dpr } = scene;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  if (scene.grid) drawGrid(ctx, scene);
  ctx.setTransform(dpr * camera.zoom, 0, 0, dpr * camera.zoom, dpr * camera.x * camera.zoom, dpr * camera.y * camera.zoom);
  const palette = canvasPalette();
  const visible = scene.cache.query(viewportBox(camera, width, height));
  if (camera.zoom <= LOD_ZOOM) {
    paintSimplified(ctx, palette.dark ? visible.map(darkShape) : visible, scene.cache.lookup, camera.zoom, palette.dark, scene.erasing);
  } else drawDetailed(ctx, scene, visible, palette.dark);
  drawDraft(ctx, scene, palette);
}

function drawDetailed(ctx: CanvasRenderingContext2D, scene: Scene, visible: readonly Shape[], dark: boolean): void {
  const { camera } = scene;
  // consecutive outlines with one style go out as one stroke() call (see batchKey)
  let batch: { key: string; path: Path2D; shape: Shape } | null = null;
  const flush = () => {
    if (batch) strokeBatch(ctx, batch.path, batch.shape.style);
    batch = null;
  };
  for (const shape of visible) {
    const s = dark ? darkShape(shape) : shape; // near-black ink turns light
    const key = scene.erasing.has(s.id) ? null : batchKey(s);
    if (key !== null && Math.max(s.w, s.h) * camera.zoom >= 2) {
      if (batch && batch.key !== key) flush();
      if (!batch) batch = { key, path: new Path2D(), shape: s };
      batch.path.addPath(geoPath(s));
      continue;
    }
    flush();
    if (scene.erasing.has(s.id)) {
      ctx.save();
      ctx.globalAlpha = 0.3;
      paintShape(ctx, s, scene.cache.lookup, camera.zoom, dark);
      ctx.restore();
    } else paintShape(ctx, s, scene.cache.lookup, camera.zoom, dark);
  }
  flush();
}

function drawDraft(ctx: CanvasRenderingContext2D, scene: Scene, palette: CanvasPalette): void {
  const { camera } = scene;
  const d = scene.draft;
  if (d?.kind === 'brush') {
    ctx.save();
    ctx.fillStyle = palette.brushFill;
    ctx.fillRect(d.box.x, d.box.y, d.box.w, d.box.h);
    ctx.setLineDash([6 / camera.zoom, 4 / camera.zoom]);
    ctx.strokeStyle = palette.brushStroke;
    ctx.lineWidth = 1.5 / camera.zoom;
    ctx.strokeRect(d.box.x, d.box.y, d.box.w, d.box.h);
    ctx.restore();
  } else if (d?.kind === 'eraser' && d.points.length > 1) {
    ctx.save();
    ctx.strokeStyle = 'rgba(100, 116, 139, 0.5)';
    ctx.lineWidth = 6 / camera.zoom;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    d.points.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
    ctx.stroke();
    ctx.restore();
  }
}
