import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../src/sim.js';
import { runCli } from '../cli/run-cli.js';
import { planArb, planToScenario, scenarioYAML } from '../../src/testing/plan.js';

describe('counterexamples replay', () => {
  it('a plan written as a scenario file replays with auctionlab run to the same digest', () => {
    const [steps] = fc.sample(planArb(undefined, 10), { numRuns: 1, seed: 7 });
    const { doc } = planToScenario(steps!, 3);
    const file = join(mkdtempSync(join(tmpdir(), 'auctionlab-')), 'counterexample.yaml');
    writeFileSync(file, scenarioYAML(doc));
    const r = runCli(['run', file, '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).digest).toBe(simulate(parseScenario(doc, 'counterexample')).digest);
  });
});
