'use client';

/**
 * The drawing surface. Shapes are painted on one Canvas 2D element (10,000 shapes would be 10,000
 * DOM/SVG nodes to lay out; a canvas repaint of the visible ones is cheap), redrawn in
 * requestAnimationFrame only when something marked the frame dirty. The selection, text editing and
 * remote cursors are DOM overlays. Nothing here re-renders React per pointer move or per document change.
 */
import { useEffect, useRef } from 'react';
import { createHistory, observeShapes, ShapeCache, type Board } from '@/lib/board';
import { pointsBox, resolveLinePoints } from '@/lib/board/shape-geometry';
import { boardToScreen } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import { setLocalCursor } from '../board/board-session';
import type { Editor } from './editor';
import { recordRender, useEditorStore } from './editor-store';
import { Interaction, type Modifiers } from './interaction';
import { handleKey } from './keyboard';
import { useOverlayStore, type OverlayBox } from './overlay-store';
import { drawScene } from './renderer';
import { canTransform, isBoundArrow, linePoints, segmentMiddles, selectionFrame } from './selection-frame';
import { SelectionActions } from './selection-actions';
import { measureText } from './shape-painter';
import { TextEditor } from './text-editor';

function isEditableTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

function modifiers(e: PointerEvent): Modifiers {
  // mice report 0.5 while pressed; pens report real pressure
  return { shift: e.shiftKey, alt: e.altKey, mod: e.ctrlKey || e.metaKey, pressure: e.pointerType === 'pen' ? e.pressure : 0.5, pointerType: e.pointerType };
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
    const history = createHistory(board);
    let size = { width: 0, height: 0, dpr: 1 };
    let frame = 0;

    const editor: Editor = {
      board,
      cache,
      history,
      userName: () => userName,
      editable: () => !readOnlyRef.current,
      viewport: () => ({ width: size.width, height: size.height }),
      requestFrame: () => requestFrame(),
      measureText: (text, fontSize) => measureText(ctx, text, fontSize),
    };
    const interaction = new Interaction(editor);
    const store = useEditorStore.getState();
    store.setEditor(editor);
    const stopHistory = history.onChange(() => useEditorStore.getState().setHistory(history.canUndo(), history.canRedo()));

    // the presence publisher throttles what goes on the wire; every move just updates the local state
    const publishCursor = setLocalCursor;

    const render = () => {
      frame = 0;
      const started = performance.now();
      interaction.flushFrame(); // may change the doc, which updates the cache synchronously
      const { camera, selection, grid } = useUiStore.getState();
      drawScene(ctx, { cache, camera, ...size, grid, draft: interaction.draft(), erasing: interaction.erasing() });
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
      const guides = interaction.guides().map((g) => {
        const [a, b] = g.axis === 'x' ? [{ x: g.at, y: g.from }, { x: g.at, y: g.to }] : [{ x: g.from, y: g.at }, { x: g.to, y: g.at }];
        const [sa, sb] = [boardToScreen(camera, a), boardToScreen(camera, b)];
        return g.axis === 'x' ? { axis: g.axis, at: sa.x, from: sa.y, to: sb.y } : { axis: g.axis, at: sa.y, from: sa.x, to: sb.x };
      });
      useOverlayStore.getState().set(boxes, overlayFrame, overlayEnds, guides);
      recordRender(performance.now() - started);
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
    const updateCursor = () => {
      canvas.style.cursor = interaction.isPanReady() ? 'grab' : useUiStore.getState().tool === 'select' ? '' : 'crosshair';
    };
    const stopUi = useUiStore.subscribe((s, prev) => {
      if (s.camera !== prev.camera || s.selection !== prev.selection || s.grid !== prev.grid) requestFrame();
      if (s.tool !== prev.tool) updateCursor();
    });

    const local = (e: { clientX: number; clientY: number }) => {
      const r = canvas.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const onPointerDown = (e: PointerEvent) => {
      // No mousedown default: it would move focus after the text editor (opened by this press) took it.
      // Clicking the canvas still ends an edit in progress, explicitly.
      e.preventDefault();
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      canvas.setPointerCapture(e.pointerId);
      interaction.pointerDown(local(e), e.pointerId, e.button, modifiers(e));
    };
    const onPointerMove = (e: PointerEvent) => interaction.pointerMove(local(e), e.pointerId, modifiers(e), publishCursor);
    const onPointerUp = (e: PointerEvent) => interaction.pointerUp(local(e), e.pointerId);
    const onPointerCancel = () => interaction.cancel();
    const onPointerLeave = () => interaction.pointerLeave(publishCursor);
    const onDoubleClick = (e: MouseEvent) => interaction.doubleClick(local(e));
    const onWheel = (e: WheelEvent) => {
      e.preventDefault(); // otherwise the browser zooms/scrolls the page
      interaction.wheel(local(e), e.deltaX, e.deltaY, e.ctrlKey || e.metaKey);
    };
    const onKeyDown = (e: KeyboardEvent) => {
      if (isEditableTarget(e.target)) return;
      if (handleKey(editor, interaction, e)) e.preventDefault();
      updateCursor();
    };
    const onKeyUp = (e: KeyboardEvent) => {
      if (e.code === 'Space') interaction.setSpace(false);
      updateCursor();
    };

    canvas.addEventListener('pointerdown', onPointerDown);
    canvas.addEventListener('pointermove', onPointerMove);
    canvas.addEventListener('pointerup', onPointerUp);
    canvas.addEventListener('pointercancel', onPointerCancel);
    canvas.addEventListener('pointerleave', onPointerLeave);
    canvas.addEventListener('dblclick', onDoubleClick);
    canvas.addEventListener('wheel', onWheel, { passive: false });
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);

    return () => {
      if (frame !== 0) cancelAnimationFrame(frame);
      interaction.cancel();
      stopShapes();
      stopUi();
      stopHistory();
      history.destroy();
      resizeObserver.disconnect();
      dprQuery.removeEventListener('change', resize);
      canvas.removeEventListener('pointerdown', onPointerDown);
      canvas.removeEventListener('pointermove', onPointerMove);
      canvas.removeEventListener('pointerup', onPointerUp);
      canvas.removeEventListener('pointercancel', onPointerCancel);
      canvas.removeEventListener('pointerleave', onPointerLeave);
      canvas.removeEventListener('dblclick', onDoubleClick);
      canvas.removeEventListener('wheel', onWheel);
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      useOverlayStore.getState().set([], null, null);
      if (useEditorStore.getState().editor === editor) useEditorStore.getState().setEditor(null);
    };
  }, [board, userName]);

  return (
    <>
      <canvas ref={canvasRef} data-testid="canvas" className="absolute inset-0 h-full w-full touch-none select-none" />
      <TextEditor />
      <SelectionActions />
    </>
  );
}
