// Timeline tests: each pins one row of docs/fidelity.md (when things happen, against Diego's rule),
// over several seeds where the rule has a spread.
import { describe, expect, it } from 'vitest';
import { parseScenarioText, startSimulation } from '../../src/sim.js';

const base = (extra: string) =>
  parseScenarioText(
    `duration: 3m
startup: 2s
cells: [{ count: 6, zones: [z1, z2, z3], memoryMB: 8192, diskMB: 16384, containers: 50 }]
${extra}`,
    'timeline.yaml',
  );

describe('timeline: lock and failover', () => {
  it('a standby takes the lock 14-16 s after the active auctioneer dies (TTL 15 s, every auctioneer asks every 1 s)', () => {
    for (const seed of [1, 2, 3]) {
      const sim = startSimulation(base(`seed: ${seed}\napps: [{ name: web, instances: 2 }]\nevents: [{ at: 30500ms, killAuctioneer: true }]\n`));
      sim.runUntil(30_500);
      expect(sim.world.activeAuctioneer()).toBeUndefined();
      let tookOver = -1;
      for (let t = 30_600; t <= 60_000 && tookOver < 0; t += 100) {
        sim.runUntil(t);
        if (sim.world.activeAuctioneer()?.id === 'auctioneer-1') tookOver = t;
      }
      expect(tookOver - 30_500).toBeGreaterThan(14_000);
      expect(tookOver - 30_500).toBeLessThanOrEqual(16_100);
    }
  });
});

describe('timeline: crash counts', () => {
  it("a cell-loss replacement starts with no crashes; the SUSPECT copy keeps its count (bbs CreateUnclaimedActualLRP)", () => {
    // One instance that crashes a few times (restarting at once for the first crashes), then its cell dies.
    const sim = startSimulation(
      base(`seed: 2\napps: [{ name: web, instances: 1, crash: { probability: 1, after: 3s } }]\nevents: [{ at: 14s, kill: "100%" }]\n`),
    );
    sim.runUntil(14_000);
    const before = sim.world.bbs.group('web', 0)!.ordinary!;
    expect(before.crashCount).toBeGreaterThan(0);
    // Every cell is dead: the record turns SUSPECT once the cell's presence is gone and a pass runs.
    for (let t = 15_000; t <= 90_000 && !sim.world.bbs.group('web', 0)!.suspect; t += 1000) sim.runUntil(t);
    const g = sim.world.bbs.group('web', 0)!;
    expect(g.suspect).toBe(before);
    expect(g.suspect!.crashCount).toBeGreaterThan(0);
    expect(g.ordinary).not.toBe(before);
    expect(g.ordinary!.crashCount).toBe(0);
  });
});
