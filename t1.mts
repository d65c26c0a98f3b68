import { parseScenario } from './src/sim.ts';
import { parseScenario as oldParse } from '/tmp/old/src/sim.ts';
function run(p: any, v: unknown) {
  try { const s = p(v, 'x'); return 'OK seed=' + String(s.seed) + ' cells=' + JSON.stringify(s.cells.map((c: any) => c.count)); }
  catch (e: any) { return (e?.name ?? 'ERR') + ': ' + (e?.problems ? e.problems.map((p: any) => p.path + ': ' + p.message).join(' | ') : String(e?.stack).split('\n').slice(0,4).join(' / ')); }
}
const cells = [{ count: 1 }];
const cases: [string, () => unknown][] = [
  ['bigint seed', () => ({ cells, seed: 1n })],
  ['bigint count', () => ({ cells: [{ count: 1n }] })],
  ['Date name', () => ({ cells, name: new Date(0) })],
  ['Map settings', () => ({ cells, settings: new Map([['a', 1]]) })],
  ['Uint8Array cells', () => ({ cells: new Uint8Array([1]) })],
  ['sparse array cells', () => { const a: unknown[] = []; a[1] = { count: 1 }; return { cells: a }; }],
  ['sparse apps', () => { const a: unknown[] = []; a[2] = { name: 'x' }; return { cells, apps: a }; }],
  ['null proto', () => Object.assign(Object.create(null), { cells })],
  ['null proto cell', () => ({ cells: [Object.assign(Object.create(null), { count: 1 })] })],
  ['symbol key', () => ({ cells, [Symbol('x')]: 1 })],
  ['undefined field', () => ({ cells, seed: undefined })],
  ['undefined in list', () => ({ cells: [undefined] })],
  ['undefined event', () => ({ cells, events: [undefined] })],
  ['NaN seed', () => ({ cells, seed: NaN })],
  ['Infinity dur', () => ({ cells, duration: Infinity })],
  ['-0 dur', () => ({ cells, duration: -0 })],
  ['-0 count', () => ({ cells: [{ count: -0 }] })],
  ['String obj', () => ({ cells, name: new String('a') })],
  ['Number obj', () => ({ cells, seed: new Number(1) })],
  ['Boolean obj', () => ({ cells: [{ count: 1, docker: new Boolean(true) }] })],
  ['function', () => ({ cells, name: () => 1 })],
  ['Error', () => ({ cells, name: new Error('x') })],
  ['RegExp', () => ({ cells, name: /x/ })],
  ['Set', () => ({ cells: new Set([{ count: 1 }]) })],
  ['proto own __proto__ key in settings', () => ({ cells, settings: JSON.parse('{"__proto__": 1}') })],
  ['own __proto__ obj at root', () => JSON.parse('{"cells":[{"count":1}], "__proto__": {"seed": 5}}')],
  ['own __proto__ in cell', () => ({ cells: [JSON.parse('{"count":1, "__proto__": {"memoryMB": 5}}')] })],
  ['inherited props', () => { const p = { seed: 5 }; const o = Object.create(p); o.cells = cells; return o; }],
  ['class instance', () => { class A { cells = cells; } return new A(); }],
];
for (const [n, f] of cases) {
  const a = run(oldParse, f()), b = run(parseScenario, f());
  console.log((a === b ? 'SAME ' : 'DIFF ') + n + '\n  new: ' + b + (a === b ? '' : '\n  old: ' + a));
}
// mutation
const input: any = { cells: [{ count: 1 }], apps: [{ name: 'a', push: true }], network: {}, events: [{ at: '1s', kill: { ids: ['cell-00'] } }] };
const before = JSON.stringify(input);
parseScenario(input);
console.log('mutated?', JSON.stringify(input) !== before, JSON.stringify(input));
const bad: any = { cells: [{ count: 1 }], apps: [{ name: 'a', count: 'x' }], network: {} };
const b2 = JSON.stringify(bad);
try { parseScenario(bad); } catch {}
console.log('mutated bad?', JSON.stringify(bad) !== b2);
