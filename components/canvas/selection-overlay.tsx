'use client';

/** Selection outline and resize handles, drawn in SVG above the canvas (handles are visual only for now). */
import { useOverlayStore } from './overlay-store';

const HANDLE = 8;

export function SelectionOverlay() {
  const boxes = useOverlayStore((s) => s.boxes);
  if (boxes.length === 0) return null;
  return (
    <svg className="pointer-events-none absolute inset-0 h-full w-full" data-testid="selection-overlay" aria-hidden>
      {boxes.map((b) => {
        const corners = [
          [b.x, b.y],
          [b.x + b.w, b.y],
          [b.x, b.y + b.h],
          [b.x + b.w, b.y + b.h],
        ];
        const cx = b.x + b.w / 2;
        const cy = b.y + b.h / 2;
        return (
          <g key={b.id} data-testid="selection-box" transform={`rotate(${(b.rotation * 180) / Math.PI} ${cx} ${cy})`}>
            <rect x={b.x} y={b.y} width={b.w} height={b.h} fill="none" stroke="#2563eb" strokeWidth={1.5} />
            {corners.map(([x, y]) => (
              <rect
                key={`${x},${y}`}
                x={x - HANDLE / 2}
                y={y - HANDLE / 2}
                width={HANDLE}
                height={HANDLE}
                rx={2}
                fill="white"
                stroke="#2563eb"
                strokeWidth={1.5}
              />
            ))}
          </g>
        );
      })}
    </svg>
  );
}
