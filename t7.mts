import { parseScenarioText as newP } from './src/sim.ts';
import { parseScenarioText as oldP } from '/tmp/old/src/sim.ts';
import { readFileSync } from 'node:fs';
for (const f of ['scenarios/diego-stress-250k.yaml', 'scenarios/default.yaml']) {
  const t = readFileSync(f, 'utf8');
  for (const [n, p] of [['old', oldP], ['new', newP], ['old', oldP], ['new', newP]] as const) { const s = performance.now(); p(t, f); console.log(f, n, (performance.now() - s).toFixed(1) + 'ms'); }
}
