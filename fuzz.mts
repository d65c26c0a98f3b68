import { parseScenario as newP } from './src/sim.ts';
import { parseScenario as oldP } from '/tmp/old/src/sim.ts';
import { parse } from 'yaml';
import { readFileSync, readdirSync } from 'node:fs';
import seedrandom from 'seedrandom';
const rng = seedrandom(process.argv[2] ?? 'x');
const pick = <T>(a: readonly T[]): T => a[Math.floor(rng() * a.length)]!;
const bases = ['test/scenario/fixtures/every-field.yaml', ...readdirSync('scenarios').filter((f) => f.endsWith('.yaml') && !f.includes('250k')).map((f) => 'scenarios/' + f)].map((f) => parse(readFileSync(f, 'utf8')));
const weird: (() => unknown)[] = [() => null, () => NaN, () => Infinity, () => -Infinity, () => -0, () => 0, () => -1, () => 1e308, () => 2 ** 53, () => 0.5, () => '', () => ' ', () => 'x', () => '10%', () => '150%', () => '5s', () => ' 5s ', () => 'none', () => 'active', () => true, () => false, () => [], () => [null], () => ({}), () => ({ __proto__: null }), () => JSON.parse('{"__proto__": 1}'), () => ({ constructor: 1 }), () => ({ toString: 'x' }), () => ({ constant: 1 }), () => ({ uniform: [2, 1] }), () => ({ ids: ['cell-00'] }), () => ({ zone: 'z1' }), () => ({ fraction: 0.5 }), () => ({ app: 'web' }), () => '日本', () => 'web'];
const keys = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'x', ''];
function paths(v: any, at: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(at);
  if (v && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k], [...at, Array.isArray(v) ? Number(k) : k], out);
  return out;
}
function mutate(doc: any) {
  const d = structuredClone(doc);
  const n = 1 + Math.floor(rng() * 3);
  for (let i = 0; i < n; i++) {
    const ps = paths(d);
    const p = pick(ps);
    const r = rng();
    if (p.length === 0) { if (r < 0.5) Object.defineProperty(d, pick(keys), { value: pick(weird)(), enumerable: true, configurable: true, writable: true }); continue; }
    let parent: any = d; for (const k of p.slice(0, -1)) parent = parent[k];
    const last = p[p.length - 1]!;
    if (r < 0.6) parent[last] = pick(weird)();
    else if (r < 0.8) { const v = parent[last]; if (v && typeof v === 'object' && !Array.isArray(v)) Object.defineProperty(v, pick(keys), { value: pick(weird)(), enumerable: true, configurable: true, writable: true }); else parent[last] = pick(weird)(); }
    else if (Array.isArray(parent)) parent.splice(last as number, 1); else delete parent[last];
  }
  return d;
}
function run(p: any, v: unknown) {
  try { p(v, 'x'); return { ok: true, msg: 'OK' }; }
  catch (e: any) { if (e?.name !== 'InputError') return { ok: false, crash: true, msg: String(e?.stack).split('\n').slice(0, 4).join(' / ') }; return { ok: false, msg: e.problems.map((q: any) => q.path + ': ' + q.message).join(' | ') }; }
}
let diffs = 0, crashes = 0, accDiff = 0;
const N = Number(process.argv[3] ?? 3000);
for (let i = 0; i < N; i++) {
  const d = mutate(pick(bases));
  const a = run(oldP, d), b = run(newP, d);
  if ((b as any).crash) { crashes++; if (crashes < 6) console.log('CRASH', b.msg, '\n   input', JSON.stringify(d).slice(0, 300)); }
  if (a.ok !== b.ok) { accDiff++; if (accDiff < 30) console.log('ACCEPT-DIFF old', a.msg.slice(0, 300), '\n   new', b.msg.slice(0, 300)); }
  else if (a.msg !== b.msg) { diffs++; if (diffs < 25) console.log('MSG-DIFF\n   old', a.msg.slice(0, 400), '\n   new', b.msg.slice(0, 400)); }
}
console.log({ N, crashes, accDiff, diffs });
