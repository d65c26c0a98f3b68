import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zoneSkew } from '../../src/metrics/balance.js';
import { loadScenarioFile, parseScenario, startSimulation } from '../../src/sim.js';
import { liveZoneSkew } from '../../src/sim/summary.js';
import type { World } from '../../src/sim/world.js';
import { planArb, planToScenario } from '../../src/testing/plan.js';

// The summary reads the zone skew from the reps' placement index: it must be zoneSkew of the live
// cells' states, whatever died, came back, drained or moved.
function bothWays(w: World): void {
  const live = w.cells.filter((c) => c.alive).map((c) => c.rep.state);
  expect(liveZoneSkew(w)).toEqual(zoneSkew(live, { byApp: false }));
}

describe('the summary zone skew', () => {
  it('is zoneSkew of the live cells at every minute of random plans (kills, restarts, partitions, scales, deletes)', () => {
    fc.assert(
      fc.property(planArb(undefined, 16), fc.nat(1000), (steps, seed) => {
        const scenario = parseScenario(planToScenario(steps, seed).doc, 'plan');
        const sim = startSimulation(scenario);
        for (let t = 0; t <= scenario.durationMs; t += 60_000) {
          sim.runUntil(t);
          bothWays(sim.world);
        }
      }),
      { numRuns: 60 },
    );
  });

  it.each(['zone-outage', 'rolling-upgrade', 'rebalance-after-recovery', 'isolation-segments'])('is zoneSkew of the live cells through %s', (name) => {
    const scenario = loadScenarioFile(`scenarios/${name}.yaml`);
    const sim = startSimulation(scenario);
    const step = Math.max(60_000, Math.floor(scenario.durationMs / 20));
    for (let t = 0; t <= scenario.durationMs; t += step) {
      sim.runUntil(t);
      bothWays(sim.world);
    }
  });
});
