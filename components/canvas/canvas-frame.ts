/**
 * One drawn frame of the canvas view: paint the scene, then publish the selection's screen geometry
 * to the DOM overlay. Reads the editor and the UI store; writes nothing to the document (the editor
 * committed any drag in its frame step before calling this).
 */
import { pointsBox, resolveLinePoints } from '@/lib/board/shape-geometry';
import { boardToScreen, type Camera } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import { recordRender } from '../editor/editor-store';
import { canTransform, isBoundArrow, linePoints, segmentMiddles, selectionFrame } from '../editor/tools/selection-frame';
import type { Editor } from '../editor/types';
import { useOverlayStore, type OverlayBox, type OverlayGuide } from './overlay-store';
import { drawScene } from './renderer';

export type CanvasSize = { width: number; height: number; dpr: number };

export function drawFrame(ctx: CanvasRenderingContext2D, editor: Editor, size: CanvasSize): void {
  const started = performance.now();
  const { camera, selection, grid } = useUiStore.getState();
  const { cache, tools } = editor;
  drawScene(ctx, { cache, camera, ...size, grid, draft: tools.draft(), erasing: tools.erasing() });
  const boxes: OverlayBox[] = [];
  for (const id of selection) {
    const s = cache.get(id);
    if (!s) continue; // deleted by a peer
    const b = isBoundArrow(s) ? { ...pointsBox(resolveLinePoints(s, cache.lookup)), rotation: 0 } : s;
    const tl = boardToScreen(camera, b);
    boxes.push({ id, x: tl.x, y: tl.y, w: b.w * camera.zoom, h: b.h * camera.zoom, rotation: b.rotation, locked: s.locked });
  }
  const f = boxes.length > 0 ? selectionFrame(editor) : null;
  const tl = f ? boardToScreen(camera, f) : null;
  const overlayFrame = f && tl ? { x: tl.x, y: tl.y, w: f.w * camera.zoom, h: f.h * camera.zoom, rotation: f.rotation, handles: canTransform(editor) } : null;
  const pts = boxes.length > 0 ? linePoints(editor) : null;
  const screen = pts?.map((p) => boardToScreen(camera, p));
  const overlayEnds = screen ? { start: screen[0], end: screen[screen.length - 1], inner: screen.slice(1, -1), mids: segmentMiddles(screen) } : null;
  useOverlayStore.getState().set(boxes, overlayFrame, overlayEnds, screenGuides(editor, camera));
  recordRender(performance.now() - started);
}

function screenGuides(editor: Editor, camera: Camera): OverlayGuide[] {
  return editor.tools.guides().map((g) => {
    const [a, b] = g.axis === 'x' ? [{ x: g.at, y: g.from }, { x: g.at, y: g.to }] : [{ x: g.from, y: g.at }, { x: g.to, y: g.at }];
    const [sa, sb] = [boardToScreen(camera, a), boardToScreen(camera, b)];
    return g.axis === 'x' ? { axis: g.axis, at: sa.x, from: sa.y, to: sb.y } : { axis: g.axis, at: sa.y, from: sa.x, to: sb.x };
  });
}
