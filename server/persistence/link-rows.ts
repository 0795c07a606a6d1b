/** Share-link rows as both SQL backends store them: one row per (board, kind). */
import type { BoardLinks, LinkKind } from './storage';

export interface LinkRow {
  kind: LinkKind;
  key: string;
  version: number;
}

/** The board's two links, or null unless both rows exist. */
export function toLinks(rows: LinkRow[]): BoardLinks | null {
  const edit = rows.find((r) => r.kind === 'edit');
  const view = rows.find((r) => r.kind === 'view');
  if (!edit || !view) return null;
  return { edit: { key: edit.key, version: edit.version }, view: { key: view.key, version: view.version } };
}
