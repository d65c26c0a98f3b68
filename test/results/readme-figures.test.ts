import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUN_METRICS } from '../../src/results/run-metrics.js';

describe("the README's table of figures", () => {
  it('explains every figure of the registry, in the registry\'s own words', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const m of RUN_METRICS) expect(readme).toContain(`| ${m.name} | \`${m.key}\` | ${m.unit}, ${m.better} is better | ${m.from} |`);
  });
});
