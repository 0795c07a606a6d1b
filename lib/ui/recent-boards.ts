/** The "recently visited boards" list kept in localStorage (pure parsing; storage access is the caller's). */
import { isBoardId } from '../board-id';

export const RECENT_KEY = 'commonboard:recent';
const MAX_RECENT = 20;

export type RecentBoard = { id: string; visitedAt: number };

/** Parses the stored JSON; anything malformed (old format, hand edits) is dropped, never thrown. */
export function parseRecent(raw: string | null): RecentBoard[] {
  if (!raw) return [];
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  const out: RecentBoard[] = [];
  for (const item of data) {
    if (typeof item !== 'object' || item === null) continue;
    const { id, visitedAt } = item as Record<string, unknown>;
    if (isBoardId(id) && typeof visitedAt === 'number' && Number.isFinite(visitedAt)) out.push({ id, visitedAt });
  }
  return out.sort((a, b) => b.visitedAt - a.visitedAt).slice(0, MAX_RECENT);
}

/** Returns the list with `id` moved to the front, newest first. */
export function addRecent(list: readonly RecentBoard[], id: string, now: number): RecentBoard[] {
  return [{ id, visitedAt: now }, ...list.filter((b) => b.id !== id)].slice(0, MAX_RECENT);
}

/** Returns the list without `id` (a board that was deleted). */
export function forgetRecent(list: readonly RecentBoard[], id: string): RecentBoard[] {
  return list.filter((b) => b.id !== id);
}
