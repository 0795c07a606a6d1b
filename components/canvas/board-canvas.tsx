'use client';

/**
 * The drawing surface. Shapes are painted on one Canvas 2D element (10,000 shapes would be 10,000
 * DOM/SVG nodes to lay out; a canvas repaint of the visible ones is cheap), redrawn only when the
 * editor runs a frame. The editor (components/editor) owns the state and the tools; this view mounts
 * one, forwards input to it (canvas-input.ts) and draws its frames (canvas-frame.ts). The selection,
 * text editing and remote cursors are DOM overlays. Nothing here re-renders React per pointer move
 * or per document change.
 */
import { useEffect, useRef } from 'react';
import type { Board } from '@/lib/board';
import { useUiStore } from '@/lib/ui/ui-store';
import { createEditor } from '../editor/editor';
import { useEditorStore } from '../editor/editor-store';
import type { Editor } from '../editor/types';
import { attachInput } from './canvas-input';
import { attachFileDrop } from './file-drop';
import { drawFrame, type CanvasSize } from './canvas-frame';
import { useOverlayStore } from './overlay-store';
import { SelectionActions } from './selection-actions';
import { imageView, setImageRedraw } from '../files/file-service';
import { measureText, setImageSource } from './shape-painter';
import { TextEditor } from './text-editor';

/** Draws over a frame of the canvas, after the scene (e.g. a version's differences, components/history). */
export type PaintOver = (ctx: CanvasRenderingContext2D, editor: Editor, size: CanvasSize) => void;

export type BoardCanvasProps = {
  board: Board;
  userName: string;
  readOnly: boolean;
  paintOver?: PaintOver | null;
  /** The selection's command bar (order, duplicate, delete…); off where they cannot apply. */
  selectionActions?: boolean;
};

export function BoardCanvas({ board, userName, readOnly, paintOver = null, selectionActions = true }: BoardCanvasProps) {
  const readOnlyRef = useRef(readOnly);
  useEffect(() => {
    readOnlyRef.current = readOnly;
  }, [readOnly]);
  // read per frame, so a new painter needs no new editor: only a frame
  const paintOverRef = useRef(paintOver);
  useEffect(() => {
    paintOverRef.current = paintOver;
    useEditorStore.getState().editor?.requestFrame();
  }, [paintOver]);

  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const editor = createEditor({
      board,
      userName: () => userName,
      editable: () => !readOnlyRef.current,
      measureText: (text, fontSize) => measureText(ctx, text, fontSize),
    });
    let size: CanvasSize = { width: 0, height: 0, dpr: 1 };
    const stopDraw = editor.onFrame(() => {
      drawFrame(ctx, editor, size);
      paintOverRef.current?.(ctx, editor, size);
    });

    const resize = () => {
      const rect = canvas.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      size = { width: rect.width, height: rect.height, dpr };
      editor.setViewport(rect.width, rect.height);
      canvas.width = Math.max(1, Math.round(rect.width * dpr));
      canvas.height = Math.max(1, Math.round(rect.height * dpr));
      editor.requestFrame();
    };
    resize();
    const resizeObserver = new ResizeObserver(resize);
    resizeObserver.observe(canvas);
    // devicePixelRatio changes (browser zoom, moving between screens) don't resize the element
    const dprQuery = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    dprQuery.addEventListener('change', resize);

    const stopUi = useUiStore.subscribe((s, prev) => {
      if (s.camera !== prev.camera || s.selection !== prev.selection || s.grid !== prev.grid) editor.requestFrame();
    });
    const stopInput = attachInput(canvas, editor);
    // images: bitmaps from the file service; one frame when one is decoded (no React render)
    setImageSource(imageView);
    setImageRedraw(() => editor.requestFrame());
    const stopDrop = attachFileDrop(canvas, editor);

    return () => {
      stopInput();
      stopDrop();
      setImageRedraw(null);
      setImageSource(null);
      stopUi();
      stopDraw();
      resizeObserver.disconnect();
      dprQuery.removeEventListener('change', resize);
      editor.dispose();
      useOverlayStore.getState().set([], null, null);
    };
  }, [board, userName]);

  return (
    <>
      <canvas ref={canvasRef} data-testid="canvas" className="absolute inset-0 h-full w-full touch-none select-none" />
      <TextEditor />
      {selectionActions ? <SelectionActions /> : null}
    </>
  );
}
