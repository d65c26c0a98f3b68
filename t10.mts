import { parseScenarioText as newP } from './src/sim.ts';
import { parseScenarioText as oldP } from '/tmp/old/src/sim.ts';
const n = Number(process.argv[2]);
const text = 'cells: [{count: 1}]\nevents:\n' + Array.from({ length: n }, () => `- {at: 1s, kill: 5}`).join('\n');
for (const [name, p] of [['old', oldP], ['new', newP]] as const) { const t = Date.now(); try { p(text, 'x.yaml'); } catch (e: any) { if (!e.lines) throw e; } console.log(n, name, Date.now() - t, 'ms', (text.length / 1e6).toFixed(2) + 'MB'); }
