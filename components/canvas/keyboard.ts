/** Keyboard shortcuts of the canvas. Returns true when a key was handled (the caller prevents the default). */
import { useUiStore, type Tool } from '@/lib/ui/ui-store';
import {
  deleteSelection,
  duplicateSelection,
  nudgeSelection,
  redo,
  reorderSelection,
  selectAll,
  toggleLockSelection,
  undo,
  zoom,
  type Editor,
} from './editor';
import type { Interaction } from './interaction';

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

export type KeyInput = { key: string; code: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean };

export function handleKey(editor: Editor, interaction: Interaction, e: KeyInput): boolean {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const ui = useUiStore.getState();
  if (e.code === 'Space' && !mod) {
    interaction.setSpace(true);
    return true;
  }
  if (mod) {
    if (key === 'z' && e.shiftKey) redo(editor);
    else if (key === 'z') undo(editor);
    else if (key === 'y') redo(editor);
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
    ui.select([]);
    ui.setTool('select');
  } else return false;
  return true;
}
