'use client';

/**
 * Outlines of the shapes other people have selected, in their colour, with their name. Recomputed
 * (at most once per frame) only when a remote selection, one of those shapes, or our camera changes.
 */
import { useEffect, useState } from 'react';
import { getShape, observeShapes, type Board } from '@/lib/board';
import { boardToScreen } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import { useBoardSession } from '../board/board-session';
import { usePresenceStore } from './presence-store';

type Outline = { key: string; shapeId: string; name: string; color: string; x: number; y: number; w: number; h: number; rotation: number };

const PAD = 4;

export function RemoteSelections() {
  const board = useBoardSession((s) => s.board);
  const selections = usePresenceStore((s) => s.selections);
  const [outlines, setOutlines] = useState<Outline[]>([]);

  useEffect(() => {
    if (!board) return;
    let frame = 0;
    const compute = () => {
      frame = 0;
      const camera = useUiStore.getState().camera;
      const out: Outline[] = [];
      for (const sel of selections) {
        for (const id of sel.ids) {
          const shape = getShape(board, id);
          if (!shape) continue; // not synced yet, or deleted
          const tl = boardToScreen(camera, shape);
          out.push({
            key: `${sel.clientId}:${id}`,
            shapeId: id,
            name: sel.name,
            color: sel.color,
            x: tl.x - PAD,
            y: tl.y - PAD,
            w: shape.w * camera.zoom + 2 * PAD,
            h: shape.h * camera.zoom + 2 * PAD,
            rotation: shape.rotation,
          });
        }
      }
      setOutlines(out);
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(compute);
    };
    schedule();
    const watched = new Set(selections.flatMap((s) => s.ids));
    const stopShapes = observeShapesOf(board, watched, schedule);
    const stopUi = useUiStore.subscribe((s, prev) => {
      if (s.camera !== prev.camera) schedule();
    });
    return () => {
      if (frame !== 0) cancelAnimationFrame(frame);
      stopShapes();
      stopUi();
    };
  }, [board, selections]);

  if (outlines.length === 0) return null;
  return (
    <svg className="absolute inset-0 h-full w-full" aria-hidden>
      {outlines.map((o) => (
        <g
          key={o.key}
          data-testid="remote-selection"
          data-user={o.name}
          data-shape={o.shapeId}
          transform={`rotate(${(o.rotation * 180) / Math.PI} ${o.x + o.w / 2} ${o.y + o.h / 2})`}
        >
          <rect x={o.x} y={o.y} width={o.w} height={o.h} rx={3} fill="none" stroke={o.color} strokeWidth={2} strokeDasharray="6 3" />
          <text x={o.x} y={o.y - 4} fontSize={11} fontWeight={600} fill={o.color}>
            {o.name}
          </text>
        </g>
      ))}
    </svg>
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
