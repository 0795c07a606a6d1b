/**
 * Files dropped on the board: images land centred at the drop point, several side by side, one undo
 * step (components/files/file-service.ts). Listens on the canvas' container, so a drop over an
 * overlay (selection, note previews) still counts. View-only: refused with a toast in words.
 */
import { screenToBoard } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import { addImageFiles } from '../files/file-service';
import type { Editor } from '../editor/types';

function hasFiles(e: DragEvent): boolean {
  return !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
}

export function attachFileDrop(canvas: HTMLCanvasElement, editor: Editor): () => void {
  const target = canvas.parentElement ?? canvas;
  const over = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault(); // allows the drop
    if (e.dataTransfer) e.dataTransfer.dropEffect = editor.editable() ? 'copy' : 'none';
  };
  const drop = (e: DragEvent) => {
    if (!hasFiles(e) || !e.dataTransfer) return;
    e.preventDefault(); // never let the browser navigate to the file
    const files = [...e.dataTransfer.files];
    if (files.length === 0) return;
    const r = canvas.getBoundingClientRect();
    const at = screenToBoard(useUiStore.getState().camera, { x: e.clientX - r.left, y: e.clientY - r.top });
    void addImageFiles(editor, files, at);
  };
  target.addEventListener('dragenter', over);
  target.addEventListener('dragover', over);
  target.addEventListener('drop', drop);
  return () => {
    target.removeEventListener('dragenter', over);
    target.removeEventListener('dragover', over);
    target.removeEventListener('drop', drop);
  };
}
