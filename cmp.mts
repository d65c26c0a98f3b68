import { parseScenarioText as newP } from './src/sim.ts';
import { parseScenarioText as oldP } from '/tmp/old/src/sim.ts';
import { readFileSync } from 'node:fs';
function run(p: any, text: string) {
  try { const s = p(text, 'x.yaml'); return 'OK ' + JSON.stringify(s).slice(0, 0); }
  catch (e: any) { return (e?.name ?? 'ERR') + ': ' + (e?.lines ? e.lines.join(' | ') : e?.stack?.split('\n').slice(0,3).join(' / ')); }
}
const cases: string[] = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
for (const c of cases) {
  const a = run(oldP, c), b = run(newP, c);
  const same = a === b;
  console.log((same ? 'SAME ' : 'DIFF ') + JSON.stringify(c));
  if (!same) { console.log('  old: ' + a); console.log('  new: ' + b); }
  else console.log('  ' + a);
}
