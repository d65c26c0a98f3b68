import { parseScenarioText as newP } from './src/sim.ts';
import { parseScenarioText as oldP } from '/tmp/old/src/sim.ts';
function time(p: any, text: string) { const t = Date.now(); try { p(text, 'x.yaml'); } catch (e: any) { if (!e.lines) throw e; } return Date.now() - t; }
const mk = {
  badEvents: (n: number) => 'cells: [{count: 1}]\nevents:\n' + Array.from({ length: n }, () => `- {at: x, kill: 5}`).join('\n'),
  badSettings: (n: number) => 'cells: [{count: 1}]\nsettings:\n' + Array.from({ length: n }, (_, i) => `  k${i}: x`).join('\n'),
  unknownKeys: (n: number) => 'cells: [{count: 1}]\n' + Array.from({ length: n }, (_, i) => `k${i}: x`).join('\n'),
  badApps: (n: number) => 'cells: [{count: 1}]\napps:\n' + Array.from({ length: n }, (_, i) => `- {name: a${i}, count: x}`).join('\n'),
};
for (const [name, f] of Object.entries(mk)) for (const n of [5000, 10000, 20000]) {
  const t = f(n);
  console.log(name, n, 'old', time(oldP, t), 'new', time(newP, t));
}
