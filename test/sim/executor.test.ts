// The executor's containers as the reps' handles on their instances (see MemoryRep.rehandleLRP).
import { describe, expect, it, vi } from 'vitest';
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

  it("asks a dead machine's rep nothing, and finds the containers of the machine once it is back", () => {
    const sim = startSimulation(
      parseScenarioText(
        `seed: 5\nduration: 4m\nstartup: 2s\ncells: [{ count: 2, zones: [z1], memoryMB: 4096, diskMB: 8192, containers: 20 }]\napps: [{ name: web, instances: 12, memoryMB: 64 }]\nevents: [{ at: 30s, kill: { ids: [cell-00] } }, { at: 60s, recover: { ids: [cell-00] } }]\n`,
        'dead-cell.yaml',
      ),
    );
    sim.runUntil(31_000);
    const dead = sim.world.cells[0] as (typeof sim.world.cells)[number];
    const listed = dead.rep.state.LRPs.map((l) => l.instance_guid);
    expect(listed.length).toBeGreaterThan(0);
    // Its rep still lists the work; asked by guid it would build a table of it to find nothing.
    const asked = vi.spyOn(dead.rep, 'lrpTag');
    for (const g of listed) {
      expect(sim.world.executor.containerOf(dead.id, g)).toBeUndefined();
      expect(sim.world.executor.runsOn(dead, g)).toBe(false);
    }
    expect(asked).not.toHaveBeenCalled();
    // Back (a new, empty rep), it takes work again, and its containers are found as any cell's.
    sim.runUntil(4 * 60_000);
    expect(dead.alive).toBe(true);
    const now = dead.rep.state.LRPs;
    expect(now.length).toBeGreaterThan(0);
    for (const l of now) expect(sim.world.executor.containerOf(dead.id, l.instance_guid)).toBeInstanceOf(Container);
    const r = sim.finish();
    expect([r.summary.missingAtEnd, r.summary.extraAtEnd]).toEqual([0, 0]);
  });
});
