/**
 * Paints the differences between the version on the canvas and the live board over the canvas'
 * frame: version shapes removed or changed since get a tinted frame; shapes added since (live
 * only, not in the version) are drawn as dashed outlines where they are now. Only shapes on screen
 * are looked at (both caches' spatial indexes), so a frame costs O(visible), not O(board).
 */
import { shapeBounds } from '@/lib/board/shape-geometry';
import type { Box } from '@/lib/geometry/box';
import type { Camera } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import type { CanvasSize } from '../canvas/canvas-frame';
import { viewportBox } from '../canvas/renderer';
import type { Editor } from '../editor/types';
import type { DiffKind, VersionDiff } from './version-diff';

/** One colour per kind, shared with the legend (version-bar.tsx). */
export const DIFF_COLORS: Record<DiffKind, string> = { added: '#2f9e44', changed: '#f08c00', removed: '#e03131' };

const PAD_PX = 5;

function frame(ctx: CanvasRenderingContext2D, b: Box, kind: DiffKind, camera: Camera): void {
  const pad = PAD_PX / camera.zoom;
  const color = DIFF_COLORS[kind];
  ctx.strokeStyle = color;
  ctx.lineWidth = 2 / camera.zoom;
  if (kind === 'added') {
    ctx.setLineDash([6 / camera.zoom, 4 / camera.zoom]);
  } else {
    ctx.setLineDash([]);
    ctx.fillStyle = `${color}1f`; // ~12% tint: the shape stays readable under it
    ctx.fillRect(b.x - pad, b.y - pad, b.w + 2 * pad, b.h + 2 * pad);
  }
  ctx.beginPath();
  ctx.rect(b.x - pad, b.y - pad, b.w + 2 * pad, b.h + 2 * pad);
  ctx.stroke();
}

/** Draws after the canvas frame (BoardCanvas' paintOver), in the same board coordinates. */
export function paintVersionDiff(ctx: CanvasRenderingContext2D, editor: Editor, size: CanvasSize, diff: VersionDiff): void {
  const { camera } = useUiStore.getState();
  const view = viewportBox(camera, size.width, size.height);
  ctx.save();
  ctx.setTransform(size.dpr * camera.zoom, 0, 0, size.dpr * camera.zoom, size.dpr * camera.x * camera.zoom, size.dpr * camera.y * camera.zoom);
  for (const s of editor.cache.query(view)) {
    const kind = diff.kindOf(s.id);
    if (kind === 'changed' || kind === 'removed') frame(ctx, shapeBounds(s, editor.cache.lookup), kind, camera);
  }
  if (diff.added.size > 0) {
    for (const s of diff.live.query(view)) if (diff.added.has(s.id)) frame(ctx, shapeBounds(s, diff.live.lookup), 'added', camera);
  }
  ctx.restore();
}
