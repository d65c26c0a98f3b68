import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario, startSimulation } from '../../src/sim.js';
import { planArb, planToScenario } from '../../src/testing/plan.js';

describe('BBS running counts', () => {
  it('the incremental counts (running desired, crashed, extras, routable per app) and the app maps\' DesiredLRPs always equal a full scan', () => {
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
            // Each live app map carries its app's current DesiredLRP (the converger and flush read it there).
            expect(byIndex.dropped).toBe(false);
            expect(byIndex.desired).toBe(bbs.desired.get(guid));
            for (const [index, g] of byIndex) {
              // A group its app's map holds is not marked let go (BBS.groupOf takes a hint by the mark).
              expect(g.dropped).toBe(false);
              if (g.ordinary?.state === 'CRASHED') crashed++;
              if (g.ordinary?.state === 'RUNNING' && index < (bbs.desired.get(guid)?.instances ?? 0)) running++;
            }
          }
          // Extras: instances on live cells whose index is not desired (any state). A container a rep
          // allocated whose claim is still on its way to the BBS is not an instance yet: if its app
          // went meanwhile, the claim is refused and the rep gives it up.
          let extra = 0;
          const claiming = sim.world.claiming;
          for (const cell of sim.world.cells) {
            if (!cell.alive) continue;
            for (const l of cell.rep.state.LRPs) if (!claiming.has(l.instance_guid) && l.index >= (bbs.desired.get(l.process_guid)?.instances ?? 0)) extra++;
          }
          const byApp: Record<string, number> = {};
          let routable = 0;
          for (const [guid, n] of sim.world.routable) {
            const app = sim.world.routes.appOf(guid);
            byApp[app] = (byApp[app] ?? 0) + n;
            routable += n;
          }
          const sampled = sim.world.routes.sample(sim.world.kernel.now);
          for (const app of Object.keys(sampled.byApp)) byApp[app] ??= 0;
          expect([bbs.crashed, bbs.runningDesired, sim.world.extraInstances(), sampled.total, sampled.byApp]).toEqual([crashed, running, extra, routable, byApp]);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('extra instances', () => {
  it('counts instances above a shrunk count or of a removed app, on live cells only, as a full scan does', () => {
    const sim = startSimulation(
      parseScenario(
        {
          duration: '10m',
          cells: [{ count: 4, zones: ['z1', 'z2'], memoryMB: 4096, diskMB: 8192, containers: 20 }],
          apps: [
            { name: 'web', instances: 6, memoryMB: 64 },
            { name: 'api', instances: 3, memoryMB: 64 },
          ],
        },
        'extras',
      ),
    );
    const w = sim.world;
    const scan = () => {
      let n = 0;
      for (const cell of w.cells) {
        if (!cell.alive) continue;
        for (const l of cell.rep.state.LRPs) if (l.index >= (w.bbs.desired.get(l.process_guid)?.instances ?? 0)) n++;
      }
      return n;
    };
    sim.runUntil(60_000);
    expect(w.extraInstances()).toBe(0);
    // Straight to the BBS, so no convergence pass retires them: 4 of web's and all 3 of api's are extra.
    w.bbs.scale('web', 2);
    expect(w.extraInstances()).toBe(4);
    w.bbs.removeDesired('api');
    expect(w.extraInstances()).toBe(7);
    expect(w.extraInstances()).toBe(scan());
    // A dead cell's instances are not counted.
    const victim = w.cells.find((c) => c.rep.state.LRPs.some((l) => l.process_guid === 'api'));
    if (!victim) throw new Error('api runs nowhere');
    w.faultInjector.killCell(victim);
    expect(w.extraInstances()).toBeLessThan(7);
    expect(w.extraInstances()).toBe(scan());
  });
});
