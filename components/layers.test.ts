/**
 * Import layering of the client, checked over the source (no bundler): every relative and `@/`
 * import of app/, components/ and lib/ is resolved to a file, then
 *   - no import cycle between files (type-only imports included: they still couple the modules);
 *   - no import from a lower layer to a higher one. Layers, low to high: lib/geometry (a leaf),
 *     the rest of lib/, components/session, components/editor, the views (components/*), app/.
 * The few exceptions are listed in ALLOWED with their reason; a stale entry fails too.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const SOURCES = ['app', 'components', 'lib'];

/** from -> to pairs that break a layer rule on purpose. */
const ALLOWED: Record<string, string> = {};

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function resolve(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith('@/')) base = path.join(ROOT, spec.slice(2));
  else if (spec.startsWith('.')) base = path.resolve(path.dirname(from), spec);
  else return null; // a package
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${path.relative(ROOT, from)}: cannot resolve ${spec}`);
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function graph(): Map<string, string[]> {
  const files = SOURCES.flatMap((d) => walk(path.join(ROOT, d)));
  const g = new Map<string, string[]>();
  for (const file of files) {
    const rel = path.relative(ROOT, file);
    const src = readFileSync(file, 'utf8');
    const deps: string[] = [];
    for (const m of src.matchAll(IMPORT)) {
      const target = resolve(file, m[1] ?? m[2] ?? m[3]);
      if (target) deps.push(path.relative(ROOT, target));
    }
    g.set(rel, deps);
  }
  return g;
}

/** Higher number = higher layer. Tests are checked like their module. */
function layer(file: string): number {
  if (file.startsWith('lib/geometry/')) return 0;
  if (file.startsWith('lib/')) return 1;
  if (file.startsWith('components/session/')) return 2;
  if (file.startsWith('components/editor/')) return 3;
  if (file.startsWith('components/')) return 4;
  return 5; // app/
}

describe('client layering', () => {
  const g = graph();

  it('has no import cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, stack: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(f)), f].join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const d of g.get(f) ?? []) visit(d, [...stack, f]);
      state.set(f, 'done');
    };
    for (const f of g.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('never imports from a higher layer; lib/geometry imports nothing outside itself', () => {
    const violations: string[] = [];
    const used = new Set<string>();
    for (const [from, deps] of g) {
      for (const to of deps) {
        const edge = `${from} -> ${to}`;
        const up = layer(to) > layer(from);
        const geometryOut = from.startsWith('lib/geometry/') && !to.startsWith('lib/geometry/');
        if (!up && !geometryOut) continue;
        if (edge in ALLOWED) used.add(edge);
        else violations.push(edge);
      }
    }
    expect(violations).toEqual([]);
    expect(Object.keys(ALLOWED).filter((e) => !used.has(e))).toEqual([]); // stale exceptions
  });
});
