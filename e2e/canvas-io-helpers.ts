/** Helpers for the io / style specs: the export, import and theme part of window.commonboard. */
import type { BoardPage } from './fixtures/board-page';

type ImportResult = { ok: true; ids: string[]; migratedFrom: number | null } | { ok: false; errors: string[] };
export type TestStyle = { stroke: string; fill: string; strokeWidth: number; dash: string; opacity: number; fontSize: number };
type IoApi = {
  exportJSON(): string;
  importJSON(text: string): ImportResult;
  exportSVG(): string;
  getTheme(): 'light' | 'dark';
  getCurrentStyle(): TestStyle;
  getSelection(): string[];
};

export const exportJSON = (u: BoardPage) => u.page.evaluate(() => (window.commonboard as unknown as IoApi).exportJSON());
export const importJSON = (u: BoardPage, text: string) => u.page.evaluate((t) => (window.commonboard as unknown as IoApi).importJSON(t), text);
export const exportSVG = (u: BoardPage) => u.page.evaluate(() => (window.commonboard as unknown as IoApi).exportSVG());
export const theme = (u: BoardPage) => u.page.evaluate(() => (window.commonboard as unknown as IoApi).getTheme());
export const currentStyle = (u: BoardPage) => u.page.evaluate(() => (window.commonboard as unknown as IoApi).getCurrentStyle());
export const selectionCount = (u: BoardPage) => u.page.evaluate(() => (window.commonboard as unknown as IoApi).getSelection().length);

export const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
