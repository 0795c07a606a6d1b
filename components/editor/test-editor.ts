/** A browser-free editor for unit tests: identity camera (screen = board), frames run by hand. */
import { openBoard, type Board } from '@/lib/board';
import { useUiStore } from '@/lib/ui/ui-store';
import { createEditor } from './editor';
import { useEditorStore } from './editor-store';
import type { Editor, KeyInput, Modifiers } from './types';

export const MOUSE: Modifiers = { shift: false, alt: false, mod: false, pressure: 0.5, pointerType: 'mouse' };

export function testEditor(board: Board = openBoard()): Editor {
  useUiStore.getState().reset();
  useEditorStore.setState({ editor: null, canUndo: false, canRedo: false, editing: null });
  const editor = createEditor({
    board,
    userName: () => 'tester',
    editable: () => true,
    measureText: (text, fontSize) => ({ w: Math.max(1, text.length) * fontSize * 0.5, h: fontSize * 1.25 }),
    schedule: () => () => {}, // tests call editor.flush() for a frame
  });
  editor.setViewport(1000, 800);
  return editor;
}

type P = { x: number; y: number };

/** Press at `from`, move to `to` in `steps` pointer moves with a frame after each, release. */
export function drag(editor: Editor, from: P, to: P, mods: Partial<Modifiers> = {}, steps = 4): void {
  const m = { ...MOUSE, ...mods };
  editor.tools.pointerDown(from, 1, 0, m);
  for (let i = 1; i <= steps; i++) {
    editor.tools.pointerMove({ x: from.x + ((to.x - from.x) * i) / steps, y: from.y + ((to.y - from.y) * i) / steps }, 1, m);
    editor.flush();
  }
  editor.tools.pointerUp(to, 1);
}

export function click(editor: Editor, at: P, mods: Partial<Modifiers> = {}): void {
  editor.tools.pointerDown(at, 1, 0, { ...MOUSE, ...mods });
  editor.tools.pointerUp(at, 1);
}

export function key(editor: Editor, k: string, extra: Partial<KeyInput> = {}): boolean {
  return editor.tools.keyDown({ key: k, code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...extra });
}
