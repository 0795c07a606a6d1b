'use client';

/**
 * The drawing surface. Shapes are painted on one Canvas 2D element (10,000 shapes would be 10,000
 * DOM/SVG nodes to lay out; a canvas repaint of the visible ones is cheap), redrawn in
 * requestAnimationFrame only when something marked the frame dirty. The selection and remote
 * cursors are DOM overlays. Nothing here re-renders React per pointer move or per document change.
 */
import { useEffect, useRef } from 'react';
import { observeShapes, ShapeCache, type Board } from '@/lib/board';
import { throttle } from '@/lib/presence/throttle';
import { boardToScreen } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import { setLocalCursor } from '../board/board-session';
import { Interaction } from './interaction';
import { useOverlayStore, type OverlayBox } from './overlay-store';
import { drawScene } from './renderer';

const CURSOR_INTERVAL_MS = 50; // ~20 Hz

function isEditableTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

export function BoardCanvas({ board, userName, readOnly }: { board: Board; userName: string; readOnly: boolean }) {
  const readOnlyRef = useRef(readOnly);
  useEffect(() => {
    readOnlyRef.current = readOnly;
  }, [readOnly]);

  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const cache = new ShapeCache();
    cache.reset(board);
    let size = { width: 0, height: 0, dpr: 1 };
    let frame = 0;

    const publishCursor = throttle((p: { x: number; y: number } | null) => setLocalCursor(p), CURSOR_INTERVAL_MS);
    const interaction = new Interaction({
      board: () => board,
      cache,
      userName: () => userName,
      editable: () => !readOnlyRef.current,
      requestFrame: () => requestFrame(),
      publishCursor: (p) => {
        if (p === null) {
          publishCursor.cancel();
          setLocalCursor(null);
        } else publishCursor(p);
      },
    });

    const render = () => {
      frame = 0;
      interaction.flushFrame(); // may change the doc, which updates the cache synchronously
      const { camera, selection } = useUiStore.getState();
      drawScene(ctx, { shapes: cache.list(), camera, ...size, draft: interaction.draft() });
      const boxes: OverlayBox[] = [];
      for (const id of selection) {
        const s = cache.get(id);
        if (!s) continue; // deleted by a peer
        const tl = boardToScreen(camera, s);
        boxes.push({ id, x: tl.x, y: tl.y, w: s.w * camera.zoom, h: s.h * camera.zoom, rotation: s.rotation });
      }
      useOverlayStore.getState().setBoxes(boxes);
    };
    function requestFrame() {
      if (frame === 0) frame = requestAnimationFrame(render);
    }

    const resize = () => {
      const rect = canvas.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      size = { width: rect.width, height: rect.height, dpr };
      canvas.width = Math.max(1, Math.round(rect.width * dpr));
      canvas.height = Math.max(1, Math.round(rect.height * dpr));
      requestFrame();
    };
    resize();
    const resizeObserver = new ResizeObserver(resize);
    resizeObserver.observe(canvas);
    // devicePixelRatio changes (browser zoom, moving between screens) don't resize the element
    const dprQuery = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    dprQuery.addEventListener('change', resize);

    const stopShapes = observeShapes(board, ({ ids }) => {
      if (cache.apply(board, ids)) requestFrame();
    });
    const stopUi = useUiStore.subscribe((s, prev) => {
      if (s.camera !== prev.camera || s.selection !== prev.selection) requestFrame();
    });

    const local = (e: { clientX: number; clientY: number }) => {
      const r = canvas.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const onPointerDown = (e: PointerEvent) => {
      canvas.setPointerCapture(e.pointerId);
      interaction.pointerDown(local(e), e.pointerId, e.button, e.shiftKey);
    };
    const onPointerMove = (e: PointerEvent) => interaction.pointerMove(local(e), e.pointerId);
    const onPointerUp = (e: PointerEvent) => interaction.pointerUp(local(e), e.pointerId);
    const onPointerCancel = () => interaction.cancel();
    const onPointerLeave = () => interaction.pointerLeave();
    const onWheel = (e: WheelEvent) => {
      e.preventDefault(); // otherwise the browser zooms/scrolls the page
      interaction.wheel(local(e), e.deltaX, e.deltaY, e.ctrlKey || e.metaKey);
    };
    const onKeyDown = (e: KeyboardEvent) => {
      if (isEditableTarget(e.target)) return;
      if (interaction.keyDown(e)) e.preventDefault();
      canvas.style.cursor = interaction.isPanReady() ? 'grab' : '';
    };
    const onKeyUp = (e: KeyboardEvent) => {
      interaction.keyUp(e.code);
      canvas.style.cursor = interaction.isPanReady() ? 'grab' : '';
    };

    canvas.addEventListener('pointerdown', onPointerDown);
    canvas.addEventListener('pointermove', onPointerMove);
    canvas.addEventListener('pointerup', onPointerUp);
    canvas.addEventListener('pointercancel', onPointerCancel);
    canvas.addEventListener('pointerleave', onPointerLeave);
    canvas.addEventListener('wheel', onWheel, { passive: false });
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);

    return () => {
      if (frame !== 0) cancelAnimationFrame(frame);
      interaction.flushFrame();
      publishCursor.cancel();
      stopShapes();
      stopUi();
      resizeObserver.disconnect();
      dprQuery.removeEventListener('change', resize);
      canvas.removeEventListener('pointerdown', onPointerDown);
      canvas.removeEventListener('pointermove', onPointerMove);
      canvas.removeEventListener('pointerup', onPointerUp);
      canvas.removeEventListener('pointercancel', onPointerCancel);
      canvas.removeEventListener('pointerleave', onPointerLeave);
      canvas.removeEventListener('wheel', onWheel);
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      useOverlayStore.getState().setBoxes([]);
    };
  }, [board, userName]);

  return <canvas ref={canvasRef} data-testid="canvas" className="absolute inset-0 h-full w-full touch-none select-none" />;
}
