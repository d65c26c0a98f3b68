import { parseScenario, parseScenarioText } from './src/sim.ts';
import { readEventBody } from './src/scenario/schema/events.ts';
import { deploy } from './src/sim/events/deploy.ts';
import { readFileSync } from 'node:fs';
const text = readFileSync('test/scenario/fixtures/every-field.yaml', 'utf8');
const a = parseScenarioText(text, 'x.yaml');
const ref = JSON.stringify(a);
// mutate everything in a
const scramble = (v: any) => { if (v && typeof v === 'object') for (const k of Object.keys(v)) { if (Array.isArray(v[k])) v[k].push('junk'); else if (typeof v[k] === 'object') scramble(v[k]); else if (typeof v[k] === 'number') v[k] = -7; } };
scramble(a);
try { parseScenarioText(text.replace('seed: 7', 'seed: x'), 'x.yaml'); } catch {}
const b = parseScenarioText(text, 'x.yaml');
console.log('same after mutation/err:', JSON.stringify(b) === ref);
const minimal = { cells: [{ count: 1 }] };
const m1 = parseScenario(minimal); (m1.cells[0]!.stacks as string[]).push('zzz'); (m1.startup as any).min = 999;
const m2 = parseScenario(minimal);
console.log('defaults shared?', m2.cells[0]!.stacks, JSON.stringify(m2.startup));
// readEventBody state
const x1 = readEventBody(deploy, { app: 'a', every: 'x' }, 'p');
const x2 = readEventBody(deploy, { app: 'a' }, 'p');
console.log(JSON.stringify(x1), JSON.stringify(x2));
const inp = { app: 'a' }; readEventBody(deploy, inp, 'p'); console.log('body input mutated?', JSON.stringify(inp));
