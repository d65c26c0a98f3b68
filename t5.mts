import { parseScenarioText as newP } from './src/sim.ts';
const which = process.argv[2];
const n = 10000;
const text = which === 'ev' ? 'cells: [{count: 1}]\nevents:\n' + Array.from({ length: 2*n }, () => `- {at: x, kill: 5}`).join('\n') : 'cells: [{count: 1}]\n' + Array.from({ length: n }, (_, i) => `k${i}: x`).join('\n');
try { newP(text, 'x.yaml'); } catch {}
