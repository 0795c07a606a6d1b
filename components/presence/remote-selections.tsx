'use client';

/**
 * Outlines of the shapes other people have selected, in their colour, with their name; and a
 * marker on every note someone else is typing in (a solid frame in their colour and a "✎ name"
 * tag), which replaces their selection outline of that note. Recomputed (at most once per frame)
 * only when a remote selection or editor, one of those shapes, or our camera changes.
 */
import { useEffect, useState } from 'react';
import { getShape, observeShapes, type Board } from '@/lib/board';
import { boardToScreen } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import { useBoardSession } from '../session/board-session';
import { usePresenceStore } from './presence-store';

type Outline = {
  key: string;
  kind: 'selection' | 'editing';
  shapeId: string;
  name: string;
  color: string;
  x: number;
  y: number;
  w: number;
  h: number;
  rotation: number;
};

const PAD = 4;

export function RemoteSelections() {
  const board = useBoardSession((s) => s.board);
  const selections = usePresenceStore((s) => s.selections);
  const noteEditors = usePresenceStore((s) => s.noteEditors);
  const [outlines, setOutlines] = useState<Outline[]>([]);

  useEffect(() => {
    if (!board) return;
    let frame = 0;
    const compute = () => {
      frame = 0;
      const camera = useUiStore.getState().camera;
      const out: Outline[] = [];
      const push = (kind: Outline['kind'], clientId: number, name: string, color: string, id: string) => {
        const shape = getShape(board, id);
        if (!shape || (kind === 'editing' && shape.type !== 'note')) return; // not synced yet, deleted, or bogus
        const tl = boardToScreen(camera, shape);
        out.push({
          key: `${kind}:${clientId}:${id}`,
          kind,
          shapeId: id,
          name,
          color,
          x: tl.x - PAD,
          y: tl.y - PAD,
          w: shape.w * camera.zoom + 2 * PAD,
          h: shape.h * camera.zoom + 2 * PAD,
          rotation: shape.rotation,
        });
      };
      for (const e of noteEditors) push('editing', e.clientId, e.name, e.color, e.note);
      for (const sel of selections) {
        const editing = noteEditors.find((e) => e.clientId === sel.clientId)?.note;
        for (const id of sel.ids) if (id !== editing) push('selection', sel.clientId, sel.name, sel.color, id);
      }
      setOutlines(out);
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(compute);
    };
    schedule();
    const watched = new Set([...selections.flatMap((s) => s.ids), ...noteEditors.map((e) => e.note)]);
    const stopShapes = observeShapesOf(board, watched, schedule);
    const stopUi = useUiStore.subscribe((s, prev) => {
      if (s.camera !== prev.camera) schedule();
    });
    return () => {
      if (frame !== 0) cancelAnimationFrame(frame);
      stopShapes();
      stopUi();
    };
  }, [board, selections, noteEditors]);

  if (outlines.length === 0) return null;
  return (
    <svg className="absolute inset-0 h-full w-full" aria-hidden>
      {outlines.map((o) => (
        <g
          key={o.key}
          data-testid={o.kind === 'editing' ? 'note-editing-marker' : 'remote-selection'}
          data-user={o.name}
          {...(o.kind === 'editing' ? { 'data-note': o.shapeId } : { 'data-shape': o.shapeId })}
          transform={`rotate(${(o.rotation * 180) / Math.PI} ${o.x + o.w / 2} ${o.y + o.h / 2})`}
        >
          {o.kind === 'editing' ? <EditingMarker o={o} /> : <SelectionOutline o={o} />}
        </g>
      ))}
    </svg>
  );
}

function SelectionOutline({ o }: { o: Outline }) {
  return (
    <>
      <rect x={o.x} y={o.y} width={o.w} height={o.h} rx={3} fill="none" stroke={o.color} strokeWidth={2} strokeDasharray="6 3" />
      <text x={o.x} y={o.y - 4} fontSize={11} fontWeight={600} fill={o.color}>
        {o.name}
      </text>
    </>
  );
}

/** The tag's width is estimated (an SVG text cannot size its own background without a layout pass). */
function EditingMarker({ o }: { o: Outline }) {
  const label = `✎ ${o.name}`;
  const tagW = 14 + label.length * 6.6;
  return (
    <>
      <rect x={o.x} y={o.y} width={o.w} height={o.h} rx={3} fill="none" stroke={o.color} strokeWidth={2.5} />
      <rect x={o.x} y={o.y - 20} width={tagW} height={18} rx={4} fill={o.color} />
      <text x={o.x + 7} y={o.y - 7} fontSize={11} fontWeight={600} fill="#fff">
        {label}
      </text>
    </>
  );
}

/** Calls cb when any of `ids` changes (no subscription at all when nobody selects anything). */
function observeShapesOf(board: Board, ids: Set<string>, cb: () => void): () => void {
  if (ids.size === 0) return () => {};
  return observeShapes(board, (change) => {
    for (const id of change.ids) {
      if (ids.has(id)) {
        cb();
        return;
      }
    }
  });
}
