// A rep allocates before it claims (rep auctioncellrep), so while a claim is on its way to the BBS two
// cells may hold a container for the same index; the BBS accepts one claim and the other rep gives
// its container up. Found by the convergence property (nomad, a scale down and up within one write).
import { describe, expect, it } from 'vitest';
import { parseScenarioText, startSimulation } from '../../src/sim.js';
import { checkSafety } from '../../src/testing/index.js';

describe('claims on their way to the BBS', () => {
  it('two cells may hold an index while claims are in flight; safety holds at every millisecond and one instance remains', () => {
    const sim = startSimulation(
      parseScenarioText(
        `seed: 1\nduration: 1m\nstartup: 2s\nstrategy: nomad\nserviceTime: { bbs: { write: 20ms } }\ncells: [{ count: 4, zones: [z1, z2], memoryMB: 4096, diskMB: 8192, containers: 20 }]\napps: [{ name: web, instances: 2, memoryMB: 64 }]\nevents:\n  - { at: 1ms, scale: { app: web, instances: 1 } }\n  - { at: 2ms, scale: { app: web, instances: 2 } }\n`,
        'claims.yaml',
      ),
    );
    let most = 0;
    for (let t = 1; t <= 200; t++) {
      sim.runUntil(t);
      expect(checkSafety(sim.world)).toEqual([]);
      const holders = sim.world.cells.filter((c) => c.rep.state.LRPs.some((l) => l.process_guid === 'web' && l.index === 1)).length;
      most = Math.max(most, holders);
    }
    // The case the exemption is for did happen: two cells held web.1 at once.
    expect(most).toBe(2);
    const r = sim.finish();
    expect([r.summary.missingAtEnd, r.summary.extraAtEnd]).toEqual([0, 0]);
    expect(sim.world.cells.flatMap((c) => c.rep.state.LRPs).filter((l) => l.process_guid === 'web').map((l) => l.index).sort()).toEqual([0, 1]);
  });
});
