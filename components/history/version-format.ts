/** How a version reads in the history panel and the version bar (pure: tested in history.test.ts). */
import type { VersionKind, VersionMeta } from '@/lib/history/versions';

export const KIND_LABELS: Record<VersionKind, string> = { auto: 'Auto', named: 'Named', 'pre-restore': 'Before restore' };

const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** "14:05" today, "3 Dec, 14:05" on another day. */
export function versionTime(createdAt: number, now: number = Date.now()): string {
  const at = new Date(createdAt);
  // 24-hour in every locale: a timeline of minutes reads faster without AM/PM
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  if (sameDay(at, new Date(now))) return time;
  return `${at.toLocaleDateString([], { day: 'numeric', month: 'short' })}, ${time}`;
}

/** What a version is called in sentences: its name, else "the version of 14:05". */
export function versionLabel(meta: Pick<VersionMeta, 'name' | 'createdAt'>, now?: number): string {
  return meta.name ? `“${meta.name}”` : `the version of ${versionTime(meta.createdAt, now)}`;
}

/** "+3 ~2 −1": shapes added, changed and removed since the previous version (zeros left out). */
export function changesText(c: { added: number; changed: number; removed: number }): string {
  const parts = [c.added ? `+${c.added}` : '', c.changed ? `~${c.changed}` : '', c.removed ? `−${c.removed}` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : 'no changes';
}

export function changesTitle(c: { added: number; changed: number; removed: number }): string {
  return `${c.added} added, ${c.changed} changed, ${c.removed} removed`;
}

export function editorsText(editors: readonly string[]): string {
  if (editors.length === 0) return 'no one';
  if (editors.length <= 3) return editors.join(', ');
  return `${editors.slice(0, 2).join(', ')} and ${editors.length - 2} others`;
}

const MAX_NAME = 100;

/** A pre-restore version's name, within the schema's 100 characters. */
export function preRestoreName(prefix: string, meta: Pick<VersionMeta, 'name' | 'createdAt'>): string {
  const name = `${prefix} ${versionLabel(meta)}`;
  return name.length <= MAX_NAME ? name : `${name.slice(0, MAX_NAME - 1)}…`;
}

/** "1 shape", "2 shapes". */
export const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What a reset to the checkpoint does, from the differences between the checkpoint and the live board. */
export function resetSummary(c: { added: number; changed: number; removed: number }): string {
  const parts = [
    c.added ? `${plural(c.added, 'shape', 'shapes')} added since will be removed` : '',
    c.changed ? `${plural(c.changed, 'shape', 'shapes')} changed since will be put back` : '',
    c.removed ? `${plural(c.removed, 'shape', 'shapes')} removed since will come back` : '',
  ].filter(Boolean);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : (parts[0] ?? '');
}
