/**
 * Copy / cut / paste, export and import: the glue between the editor (selection, board, camera)
 * and the formats in lib/io. Every document write goes through lib/board (insertShapes, one undo step).
 */
import { deleteSelection } from '@/components/editor/commands';
import type { Editor } from '@/components/editor/types';
import { addShape, imageFileIds, insertShapes, listShapes, type Shape, type ShapeId, type ShapeInput } from '@/lib/board';
import { adoptFiles, fileBytes, fileDataUrls, importEmbeddedFiles, prefetchFiles } from '@/components/files/file-service';
import { bytesToBase64 } from '@/lib/files/file-bytes';
import { FILE_ID_PATTERN, type FileId } from '@/lib/files/file-contract';
import { createBoardFile, parseBoardFile, parseBoardFileJson, parseBoardJson, type ParseResult } from '@/lib/io/board-file';
import { parseClipboard, serializeClipboard } from '@/lib/io/clipboard';
import { shapesBox, snapshotShapes } from '@/lib/io/snapshot';
import { shapesToSvg } from '@/lib/io/svg';
import { screenToBoard } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';

const PASTE_OFFSET = 16;

/** Shapes a copy or an export takes: the selection, or the whole board when nothing is selected. */
export function scopeShapes(editor: Editor): Shape[] {
  const selected = editor.selectedShapes();
  return selected.length > 0 ? selected : [...editor.cache.list()];
}

export function clipboardText(editor: Editor): string | null {
  const shapes = editor.selectedShapes();
  if (shapes.length === 0) return null;
  // the payload carries image references; their bytes go to this browser's store for a paste elsewhere
  const files = imageFileIds(shapes) as FileId[];
  if (files.length > 0) void prefetchFiles(files);
  return serializeClipboard(snapshotShapes(editor.board, shapes, editor.cache.lookup));
}

/** Cut = copy + delete (locked shapes stay, as with delete). */
export function cutSelection(editor: Editor): string | null {
  const text = clipboardText(editor);
  if (text !== null) deleteSelection(editor);
  return text;
}

function viewportCentre(editor: Editor) {
  const { width, height } = editor.viewport();
  return screenToBoard(useUiStore.getState().camera, { x: width / 2, y: height / 2 });
}

/**
 * Where pasted shapes go: a copy from this board lands offset from the originals (again on each
 * paste of the same payload); shapes from elsewhere land centred in the view.
 */
function pasteOffset(editor: Editor, shapes: ShapeInput[], repeat: number) {
  if (shapes.some((s) => editor.cache.lookup(s.id))) return { x: PASTE_OFFSET * repeat, y: PASTE_OFFSET * repeat };
  const box = shapesBox(shapes)!;
  const c = viewportCentre(editor);
  return { x: Math.round(c.x - (box.x + box.w / 2)), y: Math.round(c.y - (box.y + box.h / 2)) };
}

let lastPaste = { text: '', count: 0 };

export type PasteResult = { ids: ShapeId[]; errors: string[] };

/** Pastes clipboard text: a Commonboard payload as shapes, other text as a text shape. */
export function pasteText(editor: Editor, text: string): PasteResult {
  if (!editor.editable()) return { ids: [], errors: [] };
  const content = parseClipboard(text);
  const ui = useUiStore.getState();
  let ids: ShapeId[] = [];
  if (content.kind === 'invalid') return { ids, errors: content.errors };
  if (content.kind === 'shapes' && content.shapes.length > 0) {
    lastPaste = lastPaste.text === text ? { text, count: lastPaste.count + 1 } : { text, count: 1 };
    ids = editor.run(() => insertShapes(editor.board, content.shapes, { offset: pasteOffset(editor, content.shapes, lastPaste.count), createdBy: editor.userName() }));
    const files = imageFileIds(content.shapes) as FileId[];
    if (files.length > 0) void adoptFiles(files); // from another board: upload the bytes here too
  } else if (content.kind === 'text') {
    const style = ui.currentStyle;
    const size = editor.measureText(content.text, style.fontSize);
    const c = viewportCentre(editor);
    ids = [editor.run(() => addShape(editor.board, { type: 'text', x: Math.round(c.x - size.w / 2), y: Math.round(c.y - size.h / 2), ...size, text: content.text, style, createdBy: editor.userName() }))];
  }
  if (ids.length > 0) {
    ui.setTool('select');
    editor.select(ids);
  }
  return { ids, errors: [] };
}

export function boardFileText(editor: Editor): string {
  const shapes = listShapes(editor.board);
  return JSON.stringify(createBoardFile(snapshotShapes(editor.board, shapes, editor.cache.lookup)), null, 1);
}

export type ImportResult = { ok: true; ids: string[]; migratedFrom: number | null } | { ok: false; errors: string[] };

/** Validates a board file and adds its shapes (fresh ids, one undo step), selected, in view. */
export function importBoardFile(editor: Editor, text: string): ImportResult {
  if (!editor.editable()) return { ok: false, errors: ['this board is view-only'] };
  return insertBoardFile(editor, parseBoardFile(text));
}

function insertBoardFile(editor: Editor, parsed: ParseResult): ImportResult {
  if (!parsed.ok) return parsed;
  const ids = editor.run(() => insertShapes(editor.board, parsed.shapes, { createdBy: editor.userName() }));
  useUiStore.getState().select(ids);
  return { ok: true, ids, migratedFrom: parsed.migratedFrom };
}

export function svgText(editor: Editor): string {
  return shapesToSvg(scopeShapes(editor), editor.cache.lookup);
}

/** The SVG export with the images' bytes embedded as data: URLs (an export must stand alone). */
export async function svgTextWithImages(editor: Editor): Promise<string> {
  const shapes = scopeShapes(editor);
  const urls = await fileDataUrls(imageFileIds(shapes) as FileId[]);
  return shapesToSvg(shapes, editor.cache.lookup, { imageHref: (id) => urls.get(id) });
}

/** Files embedded in a board file: `{ [fileId]: { type, data: base64 } }`. */
export type EmbeddedFiles = Record<string, { type: string; data: string }>;

/** The board file with every referenced image's bytes in `files` (base64), so an import restores them. */
export async function boardFileTextWithFiles(editor: Editor): Promise<string> {
  const shapes = snapshotShapes(editor.board, listShapes(editor.board), editor.cache.lookup);
  const files: EmbeddedFiles = {};
  for (const id of imageFileIds(shapes) as FileId[]) {
    const f = await fileBytes(id);
    if (f) files[id] = { type: f.type, data: bytesToBase64(f.bytes) };
  }
  return JSON.stringify({ ...createBoardFile(shapes), files }, null, 1);
}

/** The `files` map of a parsed board file, checked only for its outer shape (each file is re-hashed on import). */
function embeddedFiles(json: unknown): Record<string, unknown> {
  const files = typeof json === 'object' && json !== null ? (json as { files?: unknown }).files : undefined;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) return {};
  return Object.fromEntries(Object.entries(files).filter(([id]) => FILE_ID_PATTERN.test(id)).slice(0, 10_000));
}

/**
 * Import with embedded files: the shapes are validated first, then every file is verified (re-hashed),
 * kept and queued for upload; only then are the shapes added. A file that fails refuses the import.
 */
export async function importBoardFileWithFiles(editor: Editor, text: string): Promise<ImportResult> {
  if (!editor.editable()) return { ok: false, errors: ['this board is view-only'] };
  const json = parseBoardJson(text);
  if (!json.ok) return json;
  const parsed = parseBoardFileJson(json.value);
  if (!parsed.ok) return parsed;
  const { errors } = await importEmbeddedFiles(embeddedFiles(json.value));
  if (errors.length > 0) return { ok: false, errors };
  return insertBoardFile(editor, parsed);
}

export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000); // the download has started by then
}

export function fileStem(boardId: string): string {
  return `commonboard-${boardId.slice(0, 12).replace(/[^A-Za-z0-9_-]/g, '')}`;
}
