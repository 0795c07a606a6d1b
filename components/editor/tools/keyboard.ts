/** Keyboard shortcuts of the canvas. Returns true when a key was handled (the caller prevents the default). */
import { useUiStore, type Tool } from '@/lib/ui/ui-store';
import { deleteSelection, duplicateSelection, nudgeSelection, reorderSelection, selectAll, toggleLockSelection, zoom } from '../commands';
import type { Editor, KeyInput } from '../types';

const TOOL_KEYS: Record<string, Tool> = {
  v: 'select',
  h: 'hand',
  r: 'rectangle',
  o: 'ellipse',
  d: 'diamond',
  l: 'line',
  a: 'arrow',
  p: 'pen',
  t: 'text',
  n: 'note',
  e: 'eraser',
};

const NUDGE: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** What the keys drive in the pointer state machine besides commands. */
export type KeyTarget = { setSpace(held: boolean): void; escape(): void };

export function handleKey(editor: Editor, interaction: KeyTarget, e: KeyInput): boolean {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const ui = useUiStore.getState();
  if (e.code === 'Space' && !mod) {
    interaction.setSpace(true);
    return true;
  }
  if (mod) {
    if (key === 'z' && e.shiftKey) editor.redo();
    else if (key === 'z') editor.undo();
    else if (key === 'y') editor.redo();
    else if (key === 'a') selectAll(editor);
    else if (key === 'd') duplicateSelection(editor);
    else if (key === '=' || key === '+') zoom(editor, 'in');
    else if (key === '-') zoom(editor, 'out');
    else if (key === '0') zoom(editor, 'reset');
    else if (key === "'") ui.toggleGrid();
    else return false;
    return true;
  }
  if (e.altKey) return false;
  if (e.shiftKey) {
    if (e.code === 'Digit1') zoom(editor, 'fit');
    else if (e.code === 'Digit2') zoom(editor, 'selection');
    else if (e.code === 'Digit0') zoom(editor, 'reset');
    else if (e.code === 'BracketRight') reorderSelection(editor, 'bring-to-front');
    else if (e.code === 'BracketLeft') reorderSelection(editor, 'send-to-back');
    else if (key === 'l') toggleLockSelection(editor);
    else if (NUDGE[key]) nudgeSelection(editor, NUDGE[key][0] * 10, NUDGE[key][1] * 10);
    else return false;
    return true;
  }
  if (TOOL_KEYS[key]) ui.setTool(TOOL_KEYS[key]);
  else if (key === ']') reorderSelection(editor, 'bring-forward');
  else if (key === '[') reorderSelection(editor, 'send-backward');
  else if (NUDGE[key]) nudgeSelection(editor, NUDGE[key][0], NUDGE[key][1]);
  else if (key === 'Delete' || key === 'Backspace') deleteSelection(editor);
  else if (key === 'Escape') {
    interaction.escape();
    editor.select([]);
    ui.setTool('select');
  } else return false;
  return true;
}
