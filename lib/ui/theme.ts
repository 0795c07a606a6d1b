/**
 * Light / dark theme: the choice (persisted; default from prefers-color-scheme), the `dark` class on
 * <html> that Tailwind's dark variant keys on, and the canvas palette. Shapes keep their stored
 * colours; in dark mode the renderer swaps only near-black ink for a light one (the default stroke
 * would be invisible on a dark background), like tldraw's theme-dependent colours.
 */
import { create } from 'zustand';
import type { Shape } from '../board/schema';
import { luminance } from '../render/style';

export type Theme = 'light' | 'dark';
export const THEME_KEY = 'commonboard:theme';

export function isTheme(value: unknown): value is Theme {
  return value === 'light' || value === 'dark';
}

/** The stored choice if valid, else the system preference. */
export function resolveTheme(stored: string | null, prefersDark: boolean): Theme {
  return isTheme(stored) ? stored : prefersDark ? 'dark' : 'light';
}

type ThemeState = { theme: Theme; setTheme: (theme: Theme) => void };

export const useThemeStore = create<ThemeState>((set) => ({ theme: 'light', setTheme: (theme) => set({ theme }) }));

// The pre-paint script (THEME_SCRIPT) already chose the theme before hydration: start from it, so
// the first canvas frame is drawn in the right palette. The store's initial state stays 'light', which
// is what the server rendered; subscribers switch after hydration.
if (typeof document !== 'undefined' && document.documentElement.classList.contains('dark')) useThemeStore.setState({ theme: 'dark' });

/**
 * Runs in <head> before the first paint (app/layout.tsx): the same choice as resolveTheme, applied
 * to <html> at once, so a dark-mode user never sees a light flash while the app loads.
 */
export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem(${JSON.stringify(THEME_KEY)});if(t!=="light"&&t!=="dark")t=matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light";var d=document.documentElement;d.classList.toggle("dark",t==="dark");d.style.colorScheme=t}catch(e){}})()`;

export type CanvasPalette = { dark: boolean; grid: string; brushFill: string; brushStroke: string };

const PALETTES: Record<Theme, CanvasPalette> = {
  light: { dark: false, grid: '#cbd5e1', brushFill: 'rgba(37, 99, 235, 0.08)', brushStroke: '#2563eb' },
  dark: { dark: true, grid: '#334155', brushFill: 'rgba(96, 165, 250, 0.12)', brushStroke: '#60a5fa' },
};

export function canvasPalette(theme: Theme = useThemeStore.getState().theme): CanvasPalette {
  return PALETTES[theme];
}

export const DARK_INK = '#e2e8f0';

/** The colour to draw a stroke with in a theme. */
export function inkFor(stroke: string, theme: Theme): string {
  return theme === 'dark' && luminance(stroke) < 0.05 ? DARK_INK : stroke;
}

// keyed by the immutable Shape, so a shape is re-derived only when it changed (and the painter's
// own per-shape caches keep hitting)
const darkShapes = new WeakMap<Shape, Shape>();

/** The shape as drawn in dark mode (same object when nothing changes). */
export function darkShape(s: Shape): Shape {
  const cached = darkShapes.get(s);
  if (cached) return cached;
  const ink = inkFor(s.style.stroke, 'dark');
  const out = ink === s.style.stroke ? s : { ...s, style: { ...s.style, stroke: ink } };
  darkShapes.set(s, out);
  return out;
}
