// The executor's containers as the reps' handles on their instances (see MemoryRep.rehandleLRP).
import { describe, expect, it } from 'vitest';
import { parseScenarioText, startSimulation } from '../../src/sim.js';
import { Container } from '../../src/sim/container.js';

describe("SimExecutor: containers as the reps' handles", () => {
  it("names each running instance by its container, and a dead cell's listed instances by handles that keep no container", () => {
    const sim = startSimulation(
      parseScenarioText(
        `seed: 5\nduration: 2m\nstartup: 2s\ncells: [{ count: 2, zones: [z1], memoryMB: 4096, diskMB: 8192, containers: 20 }]\napps: [{ name: web, instances: 6, memoryMB: 64 }]\nevents: [{ at: 30s, kill: { ids: [cell-00] } }]\n`,
        'handles.yaml',
      ),
    );
    sim.runUntil(29_000);
    const [dead, live] = sim.world.cells as [(typeof sim.world.cells)[number], (typeof sim.world.cells)[number]];
    const onDead = dead.rep.state.LRPs.map((l) => l.instance_guid);
    expect(onDead.length).toBeGreaterThan(0);
    for (const cell of [dead, live]) {
      for (const l of cell.rep.state.LRPs) {
        const c = sim.world.executor.containerOf(cell.id, l.instance_guid);
        expect(c).toBeInstanceOf(Container);
        // The container is the rep's handle: it names its own instance there, and nothing on the other cell.
        expect(cell.rep.lrp(c!)).toBe(l);
        expect((cell === dead ? live : dead).rep.lrp(c!)).toBeUndefined();
      }
    }
    const before = onDead.map((g) => sim.world.executor.containerOf(dead.id, g) as Container);
    sim.runUntil(31_000);
    // The machine died: its rep still lists the work, but not under the gone containers.
    expect(dead.rep.state.LRPs.map((l) => l.instance_guid)).toEqual(onDead);
    for (const c of before) {
      expect(c.gone).toBe(true);
      expect(dead.rep.lrp(c)).toBeUndefined();
      expect(sim.world.executor.containerOf(dead.id, c.guid)).toBeUndefined();
    }
    const r = sim.finish();
    expect([r.summary.missingAtEnd, r.summary.extraAtEnd]).toEqual([0, 0]);
  });
});
