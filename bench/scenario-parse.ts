// How long reading a scenario takes: every bundled scenario, and a generated file of 100,000
// events (the most a scenario may have without --allow-large), each read `RUNS` times, the median.
// Run it at two commits to compare (bench/against-commit.sh runs a scenario, not this).
//   npx tsx bench/scenario-parse.ts
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { BUNDLED_SCENARIOS, parseScenarioText } from '../src/sim.js';

const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function time(text: string, name: string): number {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    parseScenarioText(text, name);
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
console.log(`100,000 events       ${time(big, 'big.yaml').toFixed(0)} ms (YAML parsing included)`);
