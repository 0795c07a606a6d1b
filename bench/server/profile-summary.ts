/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`) by self time, per function and per package:
 *   npx tsx bench/server/profile-summary.ts <file.cpuprofile> [top=25]
 * No flame-graph tooling is installed here; this is enough to see where the server's time goes.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function isProfile(v: unknown): v is Profile {
  const o = v as Partial<Profile> | null;
  return !!o && Array.isArray(o.nodes) && Array.isArray(o.samples) && Array.isArray(o.timeDeltas);
}

/** node_modules/<pkg> (scoped too), our own top folder, or the V8 pseudo-frame name. */
function packageOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return 'node core';
  const own = /\/(server|lib|bench)\//.exec(url);
  return own ? `${own[1]}/` : url;
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/server/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
if (!isProfile(parsed)) throw new Error(`${file} is not a V8 cpuprofile`);

const byId = new Map(parsed.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
// timeDeltas[i] is the gap before sample i; attribute it to the sampled node
parsed.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (parsed.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const byFn = new Map<string, number>();
const byPkg = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)?.callFrame ?? { functionName: '?', url: '', lineNumber: 0 };
  const short = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(server|lib|bench)\//, '$1/');
  const key = `${functionName || '(anonymous)'}  ${short ? `${short}:${lineNumber + 1}` : ''}`;
  byFn.set(key, (byFn.get(key) ?? 0) + us);
  const pkg = packageOf(url, functionName);
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
}

const print = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${((us / total) * 100).toFixed(1).padStart(6)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
print('self time by package', byPkg, 15);
print(`top ${top} functions by self time`, byFn, top);
