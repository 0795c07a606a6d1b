/**
 * How a shape's stored style looks, for every renderer: the canvas painters
 * (components/canvas/shape-painter.ts, lod-painter.ts, and through them the PNG export) and the SVG
 * export (lib/io/svg.ts). One place, so an export matches the screen. Pure: no DOM, no React.
 *
 * Painting is a hot path, so the lookups that build strings or arrays (fills, dash arrays, fonts)
 * are cached and return the same object for the same input.
 */
import type { Shape, ShapeStyle } from '@/lib/board/schema';

const HEX_DIGITS = /^[0-9a-fA-F]+$/;

export type Rgba = readonly [r: number, g: number, b: number, a: number];

/**
 * The one hex colour parser: #rgb, #rgba, #rrggbb, #rrggbbaa (the forms `isColor` accepts) to
 * 0..255 channels and alpha 0..1. Anything else reads as opaque black (stored colours are validated,
 * so that is a local bug, never a peer's).
 */
export function parseHex(hex: string): Rgba {
  let h = hex.charCodeAt(0) === 35 ? hex.slice(1) : hex; // '#'
  if (h.length === 3 || h.length === 4) h = h.replace(/./g, (c) => c + c);
  if ((h.length !== 6 && h.length !== 8) || !HEX_DIGITS.test(h)) return [0, 0, 0, 1];
  const ch = (i: number) => parseInt(h.slice(i, i + 2), 16);
  return [ch(0), ch(2), ch(4), h.length === 8 ? ch(6) / 255 : 1];
}

export type Rgb = readonly [number, number, number];
export const WHITE: Rgb = [255, 255, 255];
/** The dark canvas background (slate-900): dark-mode fills blend into it instead of glowing. */
export const DARK_BG: Rgb = [15, 23, 42];

/** An opaque mix of a hex colour toward `toward` (solid fills stay readable under their outline). */
export function tint(hex: string, amount = 0.82, toward: Rgb = WHITE): string {
  const [r, g, b] = parseHex(hex);
  const mix = (c: number, t: number) => Math.round(c + (t - c) * amount);
  return `rgb(${mix(r, toward[0])}, ${mix(g, toward[1])}, ${mix(b, toward[2])})`;
}

/** The colour's channels at `alpha` (its own alpha ignored, as fills always did). */
export function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = parseHex(hex);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Relative luminance (0..1), WCAG's formula. */
export function luminance(hex: string): number {
  const [r, g, b] = parseHex(hex);
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

const fillCache = new Map<string, string>();

/**
 * The fill colour of a style, or null for no fill: solid is an opaque tint of the stroke (in dark
 * mode a deep shade toward the background, not a light pastel), semi the stroke at 22% (30% dark).
 */
export function fillColor(style: ShapeStyle, dark = false): string | null {
  if (style.fill === 'none') return null;
  const key = `${style.fill}|${style.stroke}|${dark}`;
  let out = fillCache.get(key);
  if (out === undefined) {
    if (fillCache.size > 512) fillCache.clear(); // peers choose colours: keep it bounded
    if (style.fill === 'semi') out = withAlpha(style.stroke, dark ? 0.3 : 0.22);
    else out = dark ? tint(style.stroke, 0.68, DARK_BG) : tint(style.stroke);
    fillCache.set(key, out);
  }
  return out;
}

/** Strokes of outlines, lines and arrowheads are round-capped and round-joined everywhere. */
export const LINE_CAP = 'round';
export const LINE_JOIN = 'round';

const SOLID: readonly number[] = Object.freeze([]);
const dashCache = { dashed: new Map<number, readonly number[]>(), dotted: new Map<number, readonly number[]>() };

/** The dash pattern (board units) of a style: [] for solid. Same array for the same style. */
export function dashArray(style: ShapeStyle): readonly number[] {
  if (style.dash === 'solid') return SOLID;
  const cache = dashCache[style.dash];
  let out = cache.get(style.strokeWidth);
  if (!out) {
    const sw = style.strokeWidth;
    if (cache.size > 256) cache.clear(); // stroke widths are free numbers: keep it bounded
    out = Object.freeze(style.dash === 'dashed' ? [sw * 4, sw * 3] : [0, sw * 2.5]);
    cache.set(sw, out);
  }
  return out;
}

/** Solid: arrowheads are never dashed. */
export const SOLID_DASH = SOLID;

export const FONT_FAMILY = 'ui-sans-serif, system-ui, sans-serif';
export const LINE_HEIGHT = 1.25;

const fontCache = new Map<number, string>();

/** The CSS font of text at `fontSize` board units. */
export function fontFor(fontSize: number): string {
  let out = fontCache.get(fontSize);
  if (!out) {
    if (fontCache.size > 256) fontCache.clear();
    out = `${fontSize}px ${FONT_FAMILY}`;
    fontCache.set(fontSize, out);
  }
  return out;
}

/** Ink of a note's text: notes are light cards in either theme. */
export const NOTE_TEXT_COLOR = '#1e293b';
/** A note's drop shadow: an offset translucent card, not a blur (blur costs a lot per note). */
export const NOTE_SHADOW = { color: 'rgba(15, 23, 42, 0.12)', dx: 2, dy: 4 } as const;

/** Inset of a note's text from its card. */
export function notePadding(w: number): number {
  return Math.min(16, w / 8);
}

/** Where a text or note shape's text block starts, and how wide it may wrap (null: no wrap). */
export function textFrame(s: Extract<Shape, { type: 'text' | 'note' }>): { x: number; y: number; maxWidth: number | null } {
  if (s.type === 'text') return { x: s.x, y: s.y, maxWidth: null };
  const pad = notePadding(s.w);
  return { x: s.x + pad, y: s.y + pad, maxWidth: s.w - 2 * pad };
}

/** The colour of a text or note shape's glyphs. */
export function textColor(s: Extract<Shape, { type: 'text' | 'note' }>): string {
  return s.type === 'note' ? NOTE_TEXT_COLOR : s.style.stroke;
}

/**
 * Lines of a text block: split on newlines and, with a `maxWidth`, word-wrapped by `measure` (the
 * canvas measures glyphs; the SVG export, which has no layout engine, estimates them).
 */
export function wrapLines(text: string, maxWidth: number | null, measure: (line: string) => number): string[] {
  if (maxWidth === null) return text.split('\n');
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      const next = line ? `${line} ${word}` : word;
      if (line && measure(next) > maxWidth) {
        out.push(line);
        line = word;
      } else line = next;
    }
    out.push(line);
  }
  return out;
}

/** Glyph width estimate for layout without a font engine (SVG export). */
export const ESTIMATED_CHAR_WIDTH = 0.55;

/** Board y of text line `i` of a block starting at `y` (baseline: top of the line box). */
export function lineTop(y: number, i: number, fontSize: number): number {
  return y + i * fontSize * LINE_HEIGHT;
}

/** Grey bars stand in for text too small to read (a zoomed-out board). */
export const TEXT_BAR_COLOR = 'rgba(100, 116, 139, 0.5)';
