import { parseScenario } from './src/sim.ts';
import { parseScenario as oldP } from '/tmp/old/src/sim.ts';
function run(p: any, v: unknown) { try { p(v, 'x'); return 'OK'; } catch (e: any) { return e.name + ': ' + (e.problems ? e.problems.map((q: any) => q.path + ': ' + q.message).join(' | ').slice(0, 300) : String(e.stack).split('\n').slice(0, 3).join(' / ')); } }
const cyc: any = { cells: [{ count: 1 }] }; cyc.cells[0].zones = cyc.cells; 
const cyc2: any = { cells: [{ count: 1 }] }; cyc2.foo = cyc2;
const cyc3: any = { cells: [{ count: 1 }], settings: {} }; cyc3.settings.a = cyc3;
let deep: any = 1; for (let i = 0; i < 200000; i++) deep = [deep];
let deep2: any = 1; for (let i = 0; i < 3000; i++) deep2 = { a: deep2 };
for (const [n, v] of [['cyc zones', cyc], ['cyc unknown', cyc2], ['cyc settings', cyc3], ['deep 200k', { cells: [{ count: 1 }], foo: deep }], ['deep 3000', { cells: [{ count: 1 }], events: [{ at: 1, kill: deep2 }] }], ['deep settings', { cells: [{ count: 1 }], settings: { a: deep2 } }]] as const)
  console.log(n, '\n  new', run(parseScenario, v), '\n  old', run(oldP, v));
