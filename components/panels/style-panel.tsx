'use client';

/**
 * The style panel: shows the selection's style (or the style for new shapes) and edits it. An edit
 * applies to every editable selected shape in one transaction (one undo step) and becomes the
 * remembered style for new shapes.
 */
import { useEffect, useRef } from 'react';
import { styleSelection } from '@/components/editor/commands';
import { useEditorStore } from '@/components/editor/editor-store';
import type { ShapeStyle } from '@/lib/board';
import { useUiStore } from '@/lib/ui/ui-store';
import { loadStyle, saveStyle } from './style-memory';
import { MIXED, useSelectionStyle } from './use-selection-style';

export const STROKE_COLOURS: { name: string; hex: string }[] = [
  { name: 'black', hex: '#1e293b' },
  { name: 'grey', hex: '#868e96' },
  { name: 'red', hex: '#e03131' },
  { name: 'orange', hex: '#f08c00' },
  { name: 'green', hex: '#2f9e44' },
  { name: 'blue', hex: '#1971c2' },
  { name: 'violet', hex: '#9c36b5' },
  { name: 'pink', hex: '#e64980' },
];
const FILLS = ['none', 'semi', 'solid'] as const;
const WIDTHS = [1, 2, 4, 8];
const DASHES = ['solid', 'dashed', 'dotted'] as const;
const FONT_SIZES = [14, 20, 28, 40];

/** `gesture`: part of a slider drag, which is one undo step until the pointer is released. */
function applyStyle(patch: Partial<ShapeStyle>, gesture = false): void {
  const ui = useUiStore.getState();
  ui.setCurrentStyle(patch);
  saveStyle(useUiStore.getState().currentStyle);
  const editor = useEditorStore.getState().editor;
  if (editor) styleSelection(editor, patch, { gesture });
}

const OPTION = 'flex h-7 min-w-7 items-center justify-center rounded-md border px-1 text-xs transition-colors';
const optionClass = (active: boolean) =>
  `${OPTION} ${active ? 'border-blue-500 bg-blue-50 text-blue-700 dark:bg-blue-950 dark:text-blue-200' : 'border-transparent text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-700'}`;

function Group({ name, label, mixed, children }: { name: string; label: string; mixed: boolean; children: React.ReactNode }) {
  return (
    <div data-testid={`style-group-${name}`} data-mixed={mixed} className="space-y-1">
      <div className="flex items-center justify-between text-[11px] font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">
        <span>{label}</span>
        {mixed ? <span className="normal-case tracking-normal text-amber-600 dark:text-amber-400">Mixed</span> : null}
      </div>
      <div className="flex flex-wrap gap-1">{children}</div>
    </div>
  );
}

function DashIcon({ dash }: { dash: (typeof DASHES)[number] }) {
  const d = dash === 'dashed' ? '5 3' : dash === 'dotted' ? '0 4' : undefined;
  return (
    <svg width="22" height="8" aria-hidden>
      <line x1="2" y1="4" x2="20" y2="4" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeDasharray={d} />
    </svg>
  );
}

export function StylePanel() {
  const editor = useEditorStore((s) => s.editor);
  const { count, imagesOnly, style } = useSelectionStyle(editor);
  const sliding = useRef(false); // a drag on the opacity slider

  useEffect(() => useUiStore.getState().setCurrentStyle(loadStyle()), []);

  const opacity = style.opacity === MIXED ? 100 : Math.round(style.opacity * 100);
  return (
    <aside
      data-testid="style-panel"
      aria-label="Style"
      data-count={count}
      className="absolute left-3 top-16 w-44 space-y-3 rounded-xl border border-slate-200 bg-white p-3 shadow-md dark:border-slate-700 dark:bg-slate-800"
    >
      <p className="text-xs text-slate-500 dark:text-slate-400">{count === 0 ? 'New shapes' : `${count} selected`}</p>
      {imagesOnly ? null : (
        <>
        <Group name="stroke" label="Colour" mixed={style.stroke === MIXED}>
          {STROKE_COLOURS.map((c) => (
            <button
              key={c.name}
              type="button"
              data-testid={`style-stroke-${c.name}`}
              aria-pressed={style.stroke === c.hex}
              title={c.name}
              onClick={() => applyStyle({ stroke: c.hex })}
              className={`h-6 w-6 rounded-full border-2 ${style.stroke === c.hex ? 'border-blue-500 ring-2 ring-blue-200 dark:ring-blue-800' : 'border-white dark:border-slate-800'}`}
              style={{ backgroundColor: c.hex }}
            >
              <span className="sr-only">{c.name}</span>
            </button>
          ))}
        </Group>
        <Group name="fill" label="Fill" mixed={style.fill === MIXED}>
          {FILLS.map((f) => (
            <button key={f} type="button" data-testid={`style-fill-${f}`} aria-pressed={style.fill === f} onClick={() => applyStyle({ fill: f })} className={optionClass(style.fill === f)}>
              {f}
            </button>
          ))}
        </Group>
        <Group name="width" label="Stroke width" mixed={style.strokeWidth === MIXED}>
          {WIDTHS.map((w) => (
            <button key={w} type="button" data-testid={`style-width-${w}`} aria-pressed={style.strokeWidth === w} title={`${w}px`} onClick={() => applyStyle({ strokeWidth: w })} className={optionClass(style.strokeWidth === w)}>
              <span className="block w-4 rounded-full bg-current" style={{ height: Math.min(w, 6) }} />
            </button>
          ))}
        </Group>
        <Group name="dash" label="Dash" mixed={style.dash === MIXED}>
          {DASHES.map((d) => (
            <button key={d} type="button" data-testid={`style-dash-${d}`} aria-pressed={style.dash === d} title={d} onClick={() => applyStyle({ dash: d })} className={optionClass(style.dash === d)}>
              <DashIcon dash={d} />
              <span className="sr-only">{d}</span>
            </button>
          ))}
        </Group>
        </>
      )}
      <Group name="opacity" label={`Opacity ${style.opacity === MIXED ? '' : `${opacity}%`}`} mixed={style.opacity === MIXED}>
        <input
          type="range"
          data-testid="style-opacity"
          aria-label="Opacity"
          min={10}
          max={100}
          step={10}
          value={opacity}
          // a drag on the slider is one undo step, not one per notch
          onPointerDown={() => {
            sliding.current = true;
          }}
          onPointerUp={() => {
            sliding.current = false;
            useEditorStore.getState().editor?.endGesture();
          }}
          onChange={(e) => applyStyle({ opacity: Number(e.target.value) / 100 }, sliding.current)}
          className="w-full accent-blue-600"
        />
      </Group>
      {imagesOnly ? null : (
        <Group name="font-size" label="Font size" mixed={style.fontSize === MIXED}>
          {FONT_SIZES.map((f) => (
            <button key={f} type="button" data-testid={`style-font-size-${f}`} aria-pressed={style.fontSize === f} onClick={() => applyStyle({ fontSize: f })} className={optionClass(style.fontSize === f)}>
              {f}
            </button>
          ))}
        </Group>
      )}
    </aside>
  );
}
