/** One run = one plain-text table: a section per scenario, a column per target, then the ratio. */
import { ratio, round } from './stats';
import type { TargetName } from './target';

export interface Row {
  metric: string;
  values: Partial<Record<TargetName, number | string>>;
}

export interface Section {
  title: string;
  rows: Row[];
  notes: string[];
}

const fmt = (v: number | string | undefined): string =>
  v === undefined ? '-' : typeof v === 'string' ? v : Number.isNaN(v) ? 'n/a' : String(round(v));

export function renderTable(header: string, targets: TargetName[], sections: Section[]): string {
  const withRatio = targets.includes('commonboard') && targets.includes('reference');
  const cols = [...targets, ...(withRatio ? ['cb/ref'] : [])];
  const lines: string[][] = [];
  for (const s of sections) {
    lines.push([`[${s.title}]`]);
    for (const r of s.rows) {
      const cells = targets.map((t) => fmt(r.values[t]));
      if (withRatio) {
        const a = r.values.commonboard;
        const b = r.values.reference;
        cells.push(typeof a === 'number' && typeof b === 'number' ? fmt(ratio(a, b)) : '-');
      }
      lines.push([`  ${r.metric}`, ...cells]);
    }
    for (const n of s.notes) lines.push([`  note: ${n}`]);
  }
  const width0 = Math.max(30, ...lines.filter((l) => l.length > 1).map((l) => l[0].length)) + 2;
  const colW = Math.max(12, ...cols.map((c) => c.length + 2), ...lines.flatMap((l) => l.slice(1).map((c) => c.length + 2)));
  const head = 'metric'.padEnd(width0) + cols.map((c) => c.padStart(colW)).join('');
  const rule = '-'.repeat(head.length);
  const body = lines.map((l) => (l.length === 1 ? l[0] : l[0].padEnd(width0) + l.slice(1).map((c) => c.padStart(colW)).join('')));
  return [header, rule, head, rule, ...body, rule].join('\n');
}
