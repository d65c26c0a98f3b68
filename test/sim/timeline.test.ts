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
