import { describe, expect, it } from 'vitest';
import { addShape, getShape, insertShapes, listShapes, SCHEMA_VERSION, setNoteTree } from '@/lib/board';
import { makePeers, syncAll } from '@/lib/board/test-helpers';
import { createBoardFile, parseBoardFile } from './board-file';
import { parseClipboard, serializeClipboard } from './clipboard';
import { snapshotShapes } from './snapshot';
import { shapesToSvg } from './svg';

function sampleBoard() {
  const [board] = makePeers(1);
  const a = addShape(board, { type: 'rect', x: 0, y: 0, w: 100, h: 80, createdBy: 'A', style: { fill: 'solid', stroke: '#e03131' } });
  const b = addShape(board, { type: 'ellipse', x: 300, y: 0, w: 100, h: 80, createdBy: 'A' });
  addShape(board, {
    type: 'arrow', x: 100, y: 40, w: 200, h: 0, createdBy: 'A',
    points: [{ x: 0, y: 0 }, { x: 200, y: 0 }],
    start: { shapeId: a, anchor: { x: 1, y: 0.5 } },
    end: { shapeId: b, anchor: { x: 0, y: 0.5 } },
  });
  const note = addShape(board, { type: 'note', x: 0, y: 200, w: 200, h: 200, createdBy: 'A' });
  setNoteTree(board, note, [{ type: 'paragraph', attrs: {}, content: [{ type: 'text', text: 'Ship <it>', marks: [{ type: 'italic', attrs: {} }] }] }]);
  addShape(board, { type: 'text', x: 0, y: 500, w: 80, h: 25, text: 'Hello & bye', createdBy: 'A', style: { fontSize: 28 } });
  addShape(board, { type: 'freehand', x: 0, y: 600, w: 20, h: 20, points: [{ x: 0, y: 0, pressure: 0.5 }, { x: 20, y: 20, pressure: 0.5 }], createdBy: 'A' });
  return board;
}

describe('board file (JSON export / import)', () => {
  it('round-trips a board into another board with fresh ids, bindings and note content intact', () => {
    const src = sampleBoard();
    const shapes = listShapes(src);
    const text = JSON.stringify(createBoardFile(snapshotShapes(src, shapes, (id) => getShape(src, id))));
    const parsed = parseBoardFile(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.migratedFrom).toBeNull();
    const [dst, peer] = makePeers(2);
    const ids = insertShapes(dst, parsed.shapes, { createdBy: 'B' });
    syncAll([dst, peer]);
    const copy = listShapes(peer);
    expect(copy.map((s) => s.type)).toEqual(shapes.map((s) => s.type));
    expect(copy.map((s) => s.id)).toEqual(ids);
    const arrow = copy.find((s) => s.type === 'arrow');
    expect(arrow && arrow.type === 'arrow' && [arrow.start?.shapeId, arrow.end?.shapeId]).toEqual([ids[0], ids[1]]);
    expect(copy.find((s) => s.type === 'note')).toMatchObject({ text: 'Ship <it>' });
    expect(copy[0]).toMatchObject({ x: 0, y: 0, style: { fill: 'solid', stroke: '#e03131' } });
  });

  it('reports per-field errors and writes nothing for an invalid file', () => {
    const file = {
      format: 'commonboard',
      version: SCHEMA_VERSION,
      shapes: [
        { id: 'a', type: 'rect', x: 0, y: 0, w: 10, h: 10, style: { stroke: 'red', fill: 'none', strokeWidth: 2, dash: 'solid', opacity: 1, fontSize: 20 } },
        { id: 'b', type: 'blob', x: 0, y: 0, w: 10, h: 10 },
      ],
    };
    const parsed = parseBoardFile(JSON.stringify(file));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toContain('shapes[0].style.stroke: expected a hex colour like #1e293b');
    expect(parsed.errors.some((e) => e.startsWith('shapes[1].type'))).toBe(true);
  });

  it('refuses non-JSON, foreign and newer files with a clear message', () => {
    expect(parseBoardFile('{nope')).toMatchObject({ ok: false, errors: [expect.stringMatching(/^not valid JSON/)] });
    expect(parseBoardFile('{"format":"excalidraw","version":2,"shapes":[]}')).toMatchObject({ ok: false, errors: [expect.stringMatching(/^format: not a Commonboard file/)] });
    expect(parseBoardFile(`{"format":"commonboard","version":${SCHEMA_VERSION + 1},"shapes":[]}`)).toMatchObject({ ok: false, errors: [expect.stringMatching(/update Commonboard/)] });
  });

  it('migrates a version 1 file (colour fills, no dash / font size / lock)', () => {
    const v1 = { format: 'commonboard', version: 1, shapes: [{ id: 'r', type: 'rect', x: 1, y: 2, w: 30, h: 40, style: { stroke: '#000000', fill: '#ffcc00', strokeWidth: 2, opacity: 1 } }] };
    const parsed = parseBoardFile(JSON.stringify(v1));
    expect(parsed).toMatchObject({ ok: true, migratedFrom: 1, shapes: [{ style: { fill: 'solid', dash: 'solid', fontSize: 20 }, locked: false }] });
  });
});

describe('clipboard payload', () => {
  it('round-trips shapes; a binding to a shape left behind is dropped with the end kept where drawn', () => {
    const src = sampleBoard();
    const all = listShapes(src);
    const picked = all.filter((s) => s.type === 'arrow' || s.type === 'rect');
    const text = serializeClipboard(snapshotShapes(src, picked, (id) => getShape(src, id)));
    expect(JSON.parse(text)).toMatchObject({ commonboard: 1 });
    const content = parseClipboard(text);
    expect(content.kind).toBe('shapes');
    if (content.kind !== 'shapes') return;
    const [dst] = makePeers(1);
    const [rect, arrow] = insertShapes(dst, content.shapes, { offset: { x: 20, y: 20 }, createdBy: 'B' }).map((id) => getShape(dst, id)!);
    expect(rect).toMatchObject({ x: 20, y: 20 });
    expect(arrow).toMatchObject({ type: 'arrow', start: { shapeId: rect.id }, end: null });
    // the unbound end stays where the ellipse's anchor put it (x 300, y 40), moved by the offset
    expect(arrow.x + arrow.w).toBe(320);
    expect(arrow.y).toBe(60);
  });

  it('treats other text as plain text and bad payloads as invalid', () => {
    expect(parseClipboard('hello world')).toEqual({ kind: 'text', text: 'hello world' });
    expect(parseClipboard('   ')).toEqual({ kind: 'empty' });
    expect(parseClipboard('{"commonboard": 1, "shapes": [{"id": 1}]}').kind).toBe('invalid');
    expect(parseClipboard('{"commonboard": 9, "shapes": []}')).toMatchObject({ kind: 'invalid', errors: ['unsupported clipboard version 9'] });
  });
});

describe('SVG export', () => {
  it('emits one group per shape with escaped text, fills, dashes and an arrow head', () => {
    const board = sampleBoard();
    const shapes = listShapes(board);
    const svg = shapesToSvg(shapes, (id) => getShape(board, id));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<g data-shape-type=/g)).toHaveLength(shapes.length);
    expect(svg).toContain('fill="rgb(249, 218, 218)"'); // solid fill tinted from #e03131
    expect(svg).toContain('Hello &amp; bye');
    expect(svg).toContain('Ship &lt;it&gt;');
    expect(svg).toMatch(/<ellipse /);
    expect(svg).toMatch(/<path d="M[^"]+ Z" fill="#1e293b"\/>/); // freehand outline
    expect(svg.match(/<path d="M/g)?.length).toBeGreaterThanOrEqual(2); // + arrow head
  });
});
