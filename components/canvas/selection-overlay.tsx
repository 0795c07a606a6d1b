'use client';

/**
 * Selection outlines, the transform frame with its resize handles and rotate handle, drawn in SVG
 * above the canvas. Visual only: the canvas' interaction hit-tests the same handle positions.
 */
import { useOverlayStore } from './overlay-store';

const HANDLE = 8;
const ROTATE_OFFSET = 24;

export function SelectionOverlay() {
  const boxes = useOverlayStore((s) => s.boxes);
  const frame = useOverlayStore((s) => s.frame);
  const ends = useOverlayStore((s) => s.ends);
  const guides = useOverlayStore((s) => s.guides);
  if (boxes.length === 0) return null;
  const rotate = (b: { x: number; y: number; w: number; h: number; rotation: number }) =>
    `rotate(${(b.rotation * 180) / Math.PI} ${b.x + b.w / 2} ${b.y + b.h / 2})`;
  return (
    <svg className="pointer-events-none absolute inset-0 h-full w-full" data-testid="selection-overlay" aria-hidden>
      {boxes.map((b) => (
        <g key={b.id} data-testid="selection-box" data-locked={b.locked} transform={rotate(b)}>
          <rect x={b.x} y={b.y} width={b.w} height={b.h} fill="none" stroke={b.locked ? '#94a3b8' : '#2563eb'} strokeWidth={1.5} strokeDasharray={b.locked ? '4 3' : undefined} />
        </g>
      ))}
      {guides.map((g, i) => (
        <line
          key={`g${i}`}
          data-testid="snap-guide"
          data-axis={g.axis}
          x1={g.axis === 'x' ? g.at : g.from}
          y1={g.axis === 'x' ? g.from : g.at}
          x2={g.axis === 'x' ? g.at : g.to}
          y2={g.axis === 'x' ? g.to : g.at}
          stroke="#e8590c"
          strokeWidth={1}
        />
      ))}
      {ends
        ? (['start', 'end'] as const).map((which) => (
            <circle key={which} data-testid={`handle-${which}`} cx={ends[which].x} cy={ends[which].y} r={5} fill="white" stroke="#2563eb" strokeWidth={1.5} />
          ))
        : null}
      {ends?.inner.map((p, i) => (
        <circle key={`p${i}`} data-testid={`handle-point-${i + 1}`} cx={p.x} cy={p.y} r={4.5} fill="white" stroke="#2563eb" strokeWidth={1.5} />
      ))}
      {ends?.mids.map((p, i) => (
        <circle key={`m${i}`} data-testid={`handle-bend-${i}`} cx={p.x} cy={p.y} r={3.5} fill="#2563eb" fillOpacity={0.35} stroke="#2563eb" strokeWidth={1} />
      ))}
      {frame && frame.handles ? (
        <g data-testid="selection-frame" transform={rotate(frame)}>
          {boxes.length > 1 ? <rect x={frame.x} y={frame.y} width={frame.w} height={frame.h} fill="none" stroke="#2563eb" strokeWidth={1} strokeDasharray="5 4" /> : null}
          <line x1={frame.x + frame.w / 2} y1={frame.y} x2={frame.x + frame.w / 2} y2={frame.y - ROTATE_OFFSET} stroke="#2563eb" strokeWidth={1.5} />
          <circle data-testid="handle-rotate" cx={frame.x + frame.w / 2} cy={frame.y - ROTATE_OFFSET} r={5} fill="white" stroke="#2563eb" strokeWidth={1.5} />
          {[0, 0.5, 1].flatMap((fx) =>
            [0, 0.5, 1]
              .filter((fy) => fx !== 0.5 || fy !== 0.5)
              .map((fy) => {
                const name = `${fy === 0 ? 'n' : fy === 1 ? 's' : ''}${fx === 0 ? 'w' : fx === 1 ? 'e' : ''}`;
                return (
                  <rect
                    key={name}
                    data-testid={`handle-${name}`}
                    x={frame.x + fx * frame.w - HANDLE / 2}
                    y={frame.y + fy * frame.h - HANDLE / 2}
                    width={HANDLE}
                    height={HANDLE}
                    rx={2}
                    fill="white"
                    stroke="#2563eb"
                    strokeWidth={1.5}
                  />
                );
              }),
          )}
        </g>
      ) : null}
    </svg>
  );
}
