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

  it('keeps every instance of one Perform while its claims are on their way, and gives them all up when the writes are lost', () => {
    // One cell, so the auction sends the app's three instances in one Perform; the BBS takes 500 ms
    // to write the claims, and the cell's zone is cut off before they land.
    const text = (cutAt?: number) =>
      `seed: 3\nduration: 1m\nstartup: 2s\nserviceTime: { bbs: { write: 500ms } }\ncells: [{ count: 1, zones: [z1], memoryMB: 4096, diskMB: 8192, containers: 20 }]\napps: [{ name: web, instances: 3, memoryMB: 64 }]\n${cutAt !== undefined ? `events: [{ at: ${cutAt}ms, partition: z1 }]\n` : ''}`;
    const log: string[] = [];
    const sim = startSimulation(parseScenarioText(text(), 'claims.yaml'), { log: (line) => log.push(line) });
    let inFlight: string[] = [];
    let sentAt = 0;
    for (let t = 1; t <= 3000 && inFlight.length === 0; t++) {
      sim.runUntil(t);
      inFlight = [...sim.world.executor.claimingInstances];
      sentAt = t;
    }
    expect(inFlight).toHaveLength(3);
    const seen: [string, number][] = [];
    sim.world.executor.forEachClaimInFlight((cell, lrp, handle) => seen.push([cell.id, sim.world.cells[0]!.rep.lrp(handle)?.index ?? -1]));
    expect(seen.map(([, i]) => i).sort()).toEqual([0, 1, 2]);
    expect(new Set(seen.map(([c]) => c))).toEqual(new Set([sim.world.cells[0]!.id]));
    const r = sim.finish();
    expect([r.summary.missingAtEnd, r.summary.extraAtEnd]).toEqual([0, 0]);
    // The three travel as one claim: one write to the BBS, of three records.
    const writes = log.filter((l) => l.includes('"cell.claim-written"')).map((l) => (JSON.parse(l) as { writes: number }).writes);
    expect(writes).toEqual([3]);

    // Cut off while the claims are written: none reaches the BBS and the rep gives all three up.
    const cut = startSimulation(parseScenarioText(text(sentAt + 1), 'claims-cut.yaml'));
    let held = 0;
    for (let t = 1; t <= 3000; t++) {
      cut.runUntil(t);
      held = Math.max(held, cut.world.executor.claimingInstances.size);
    }
    expect(held).toBe(3);
    expect(cut.world.executor.claimingInstances.size).toBe(0);
    expect(cut.world.cells[0]!.rep.state.LRPs).toEqual([]);
    expect(cut.world.bbs.runningDesired).toBe(0);
    expect([...cut.world.bbs.actual.values()].flatMap((m) => [...m.values()]).map((g) => g.ordinary?.state)).toEqual(['UNCLAIMED', 'UNCLAIMED', 'UNCLAIMED']);
  });
});
