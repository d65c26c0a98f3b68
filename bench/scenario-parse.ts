// How long reading a scenario takes: every bundled scenario, a generated file of 100,000 events
// (the most a scenario may have without --allow-large), and files with tens of thousands of
// problems (one slip repeated), each read `RUNS` times (the large ones 3), the median.
// Run it at two commits to compare (bench/against-commit.sh runs a scenario, not this).
//   npx tsx bench/scenario-parse.ts
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { BUNDLED_SCENARIOS, parseScenarioText } from '../src/sim.js';

const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function time(text: string, name: string, runs = RUNS): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    try {
      parseScenarioText(text, name);
    } catch {
      // The files with problems are refused: the time to say so is what is measured.
    }
    ms.push(performance.now() - t);
  }
  return median(ms);
}

const first = performance.now();
parseScenarioText(readFileSync('scenarios/default.yaml', 'utf8'), 'default.yaml');
console.log(`first read (compiles the checks): ${(performance.now() - first).toFixed(1)} ms`);
for (const name of BUNDLED_SCENARIOS) console.log(`${name.padEnd(20)} ${time(readFileSync(`scenarios/${name}.yaml`, 'utf8'), `${name}.yaml`).toFixed(2)} ms`);
const events = Array.from({ length: 100_000 }, (_, i) => (i % 2 === 0 ? { at: `${1 + (i % 500)}s`, kill: { ids: ['cell-00'] } } : { at: `${2 + (i % 500)}s`, recover: { ids: ['cell-00'] } }));
const big = stringify({ duration: '10m', cells: [{ count: 4 }], events });
console.log(`100,000 events       ${time(big, 'big.yaml', 3).toFixed(0)} ms (YAML parsing included)`);
const head = 'cells: [{count: 1}]\n';
const many: [string, string][] = [
  ['20,000 unknown fields', head + Array.from({ length: 20_000 }, (_, i) => `k${i}: x`).join('\n')],
  ['20,000 bad settings', `${head}settings:\n${Array.from({ length: 20_000 }, (_, i) => `  k${i}: x`).join('\n')}`],
  ['20,000 events, 2 slips each', `${head}events:\n${Array.from({ length: 20_000 }, () => '  - {at: x, kill: 5}').join('\n')}`],
];
for (const [name, text] of many) console.log(`${name.padEnd(28)} ${time(text, 'many.yaml', 3).toFixed(0)} ms`);
