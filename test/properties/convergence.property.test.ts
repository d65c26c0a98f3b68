// Model-based convergence properties: random plans of operations and faults drive the simulator;
// safety is checked after every step, liveness once faults stop. See README.md beside this file.
import { mkdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STRATEGIES } from '../../src/index.js';
import { parseScenario, startSimulation } from '../../src/sim.js';
import { properties, stepThrough } from '../../src/testing/index.js';
import { planArb, planToScenario, scenarioYAML, type Step } from '../../src/testing/plan.js';

/** Runs per property: a fixed CI budget, larger under `npm run test:soak`. */
const STEPS = process.env['AUCTIONLAB_SOAK'] ? 30 : 16;
const RUNS = process.env['AUCTIONLAB_SOAK'] ? 500 : 100;

/** Runs `check` on a plan; on failure writes the plan as a scenario and says how to replay it. */
function withCounterexample(name: string, steps: readonly Step[], seed: number, check: (doc: Record<string, unknown>) => void): void {
  const { doc } = planToScenario(steps, seed);
  try {
    check(doc);
  } catch (e) {
    mkdirSync('reports/counterexamples', { recursive: true });
    const file = `reports/counterexamples/${name}.yaml`;
    writeFileSync(file, scenarioYAML(doc));
    throw new Error(`${(e as Error).message}\ncounterexample written to ${file}; replay it with: auctionlab run ${file} --log events.jsonl`, { cause: e });
  }
}

const strategies = [...STRATEGIES.keys()];

describe('convergence properties (model-based, with fault injection)', () => {
  // The same property `auctionlab check` and `auctionlab/testing` run on users' strategies.
  const shared = properties.find((p) => p.name === 'simulated-safety-and-liveness')!;
  it.each(strategies)('%s: safety holds after every step, and the system converges within the bound once faults stop', (strategy) => {
    fc.assert(shared.property(STRATEGIES.get(strategy)!, { faults: ['crash', 'kill', 'evacuate', 'partition', 'killAuctioneer'], maxSteps: STEPS }) as fc.IProperty<unknown[]>, { numRuns: RUNS });
  });

  it('when capacity does not suffice, the unplaced instances carry the placement error', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 40 }), fc.nat(10_000), (instances, seed) => {
        const scenario = parseScenario({
          seed,
          duration: '3m',
          cells: [{ count: 2, zones: ['z1', 'z2'], memoryMB: 1024, containers: 40 }],
          apps: [{ name: 'big', instances, memoryMB: 300, diskMB: 10 }],
        });
        const sim = startSimulation(scenario);
        const r = sim.finish();
        const fits = 2 * Math.floor(1024 / 300);
        expect(r.summary.missingAtEnd).toBe(Math.max(0, instances - fits));
        for (const g of sim.world.bbs.actual.get('big')?.values() ?? []) {
          if (g.ordinary?.state === 'UNCLAIMED') expect(g.ordinary.placementError).toBe('insufficient resources: memory');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('any generated scenario run twice gives the same digest; with shuffled ties safety still holds', () => {
    fc.assert(
      fc.property(planArb(), fc.nat(10_000), (steps, seed) => {
        withCounterexample('determinism', steps, seed, (doc) => {
          const scenario = parseScenario(doc, 'property');
          expect(startSimulation(scenario).finish().digest).toBe(startSimulation(scenario).finish().digest);
          const shuffled = startSimulation(scenario, { shuffleTies: true });
          stepThrough(shuffled, scenario.durationMs);
        });
      }),
      { numRuns: RUNS },
    );
  });
});
