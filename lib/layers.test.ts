/**
 * Layering of lib/ and server/, checked on the source text: no import cycle among their files,
 * lib/ (shared by browser and server) never imports server/, components/ or app/, and server/
 * never imports components/ or app/. A regex walker is enough: every import here is a static
 * `import … from '…'` / `export … from '…'` (or `import('…')`) of a relative or `@/` path.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const IMPORT = /(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** The repo-relative file an import specifier names, or null for a package. */
function resolveImport(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith('@/')) base = spec.slice(2);
  else if (spec.startsWith('.')) base = relative(ROOT, resolve(ROOT, dirname(from), spec));
  else return null;
  for (const cand of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(join(ROOT, cand)) && statSync(join(ROOT, cand)).isFile()) return cand;
  }
  return base; // unresolved: still tells which top-level folder it points into
}

function importGraph(dirs: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of dirs.flatMap(sourceFiles)) {
    const text = readFileSync(join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const deps: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const target = resolveImport(file, m[1] ?? m[2]);
      if (target) deps.push(target);
    }
    graph.set(file, deps);
  }
  return graph;
}

/** Every cycle found by a depth-first search (each reported once, as the path around it). */
function findCycles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      const s = state.get(next);
      if (s === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

const FORBIDDEN: Record<string, string[]> = {
  'lib/': ['server/', 'components/', 'app/'],
  'server/': ['components/', 'app/'],
};

function layerViolations(graph: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [file, deps] of graph) {
    for (const [layer, banned] of Object.entries(FORBIDDEN)) {
      if (!file.startsWith(layer)) continue;
      for (const dep of deps) if (banned.some((b) => dep.startsWith(b))) out.push(`${file} -> ${dep}`);
    }
  }
  return out;
}

describe('layers of lib/ and server/', () => {
  const graph = importGraph(['lib', 'server']);

  it('reads the import graph (sanity: known edges are seen)', () => {
    expect(graph.get('server/rooms/room.ts')).toContain('server/rooms/room-types.ts');
    expect(graph.get('lib/io/svg.ts')).toContain('lib/board/shape-geometry.ts');
  });

  it('has no import cycle', () => {
    expect(findCycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('never imports upward (lib -> server/components/app, server -> components/app)', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('the checks catch what they are for', () => {
    const bad = new Map([
      ['lib/a.ts', ['lib/b.ts', 'components/x.ts']],
      ['lib/b.ts', ['lib/a.ts']],
    ]);
    expect(findCycles(bad)).toEqual([['lib/a.ts', 'lib/b.ts', 'lib/a.ts']]);
    expect(layerViolations(bad)).toEqual(['lib/a.ts -> components/x.ts']);
  });
});
