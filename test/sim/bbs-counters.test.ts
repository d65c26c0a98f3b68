import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario, startSimulation } from '../../src/index.js';
import { planArb, planToScenario } from '../../src/testing/plan.js';

describe('BBS running counts', () => {
  it('the incremental counts (running desired, crashed) always equal a full scan', () => {
    fc.assert(
      fc.property(planArb(undefined, 20), fc.nat(1000), (steps, seed) => {
        const sim = startSimulation(parseScenario(planToScenario(steps, seed).doc, 'p'));
        const bbs = sim.world.bbs;
        let t = 0;
        for (const s of steps) {
          t += s.gapMs;
          sim.runUntil(t + 1);
          let crashed = 0;
          let running = 0;
          for (const [guid, byIndex] of bbs.actual) {
            for (const [index, g] of byIndex) {
              if (g.ordinary?.state === 'CRASHED') crashed++;
              if (g.ordinary?.state === 'RUNNING' && index < (bbs.desired.get(guid)?.instances ?? 0)) running++;
            }
          }
          expect([bbs.crashed, bbs.runningDesired]).toEqual([crashed, running]);
        }
      }),
      { numRuns: 150 },
    );
  });
});
