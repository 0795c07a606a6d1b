/**
 * DOM input of the canvas view, forwarded to the editor's tools in board-independent screen
 * coordinates; the pointer's board position also goes to presence (the publisher throttles it).
 */
import { useUiStore } from '@/lib/ui/ui-store';
import type { Editor, Modifiers } from '../editor/types';
import { setLocalCursor } from '../session/board-session';

function isEditableTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

function modifiers(e: PointerEvent): Modifiers {
  // mice report 0.5 while pressed; pens report real pressure
  return { shift: e.shiftKey, alt: e.altKey, mod: e.ctrlKey || e.metaKey, pressure: e.pointerType === 'pen' ? e.pressure : 0.5, pointerType: e.pointerType };
}

/** Listens on the canvas (pointer, wheel) and the window (keys); returns the cleanup. */
export function attachInput(canvas: HTMLCanvasElement, editor: Editor): () => void {
  const { tools } = editor;
  const updateCursor = () => {
    canvas.style.cursor = tools.isPanReady() ? 'grab' : useUiStore.getState().tool === 'select' ? '' : 'crosshair';
  };
  const stopUi = useUiStore.subscribe((s, prev) => {
    if (s.tool !== prev.tool) updateCursor();
  });
  const local = (e: { clientX: number; clientY: number }) => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const listeners: [EventTarget, string, (e: never) => void, AddEventListenerOptions?][] = [
    [
      canvas,
      'pointerdown',
      (e: PointerEvent) => {
        // No mousedown default: it would move focus after the text editor (opened by this press) took it.
        // Clicking the canvas still ends an edit in progress, explicitly.
        e.preventDefault();
        if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
        canvas.setPointerCapture(e.pointerId);
        tools.pointerDown(local(e), e.pointerId, e.button, modifiers(e));
      },
    ],
    [
      canvas,
      'pointermove',
      (e: PointerEvent) => {
        const cursor = tools.pointerMove(local(e), e.pointerId, modifiers(e));
        if (cursor) setLocalCursor(cursor);
      },
    ],
    [canvas, 'pointerup', (e: PointerEvent) => tools.pointerUp(local(e), e.pointerId)],
    [canvas, 'pointercancel', () => tools.cancel()],
    [canvas, 'pointerleave', () => setLocalCursor(null)],
    [canvas, 'dblclick', (e: MouseEvent) => tools.doubleClick(local(e))],
    [
      canvas,
      'wheel',
      (e: WheelEvent) => {
        e.preventDefault(); // otherwise the browser zooms/scrolls the page
        tools.wheel(local(e), e.deltaX, e.deltaY, e.ctrlKey || e.metaKey);
      },
      { passive: false },
    ],
    [
      window,
      'keydown',
      (e: KeyboardEvent) => {
        if (isEditableTarget(e.target)) return;
        if (tools.keyDown(e)) e.preventDefault();
        updateCursor();
      },
    ],
    [
      window,
      'keyup',
      (e: KeyboardEvent) => {
        tools.keyUp(e);
        updateCursor();
      },
    ],
  ];
  for (const [target, type, fn, opts] of listeners) target.addEventListener(type, fn as EventListener, opts);
  return () => {
    stopUi();
    for (const [target, type, fn] of listeners) target.removeEventListener(type, fn as EventListener);
  };
}
