import { describe, expect, it } from 'vitest';
import { zoneTieOrder, zoneTieSeed } from '../../../src/core/scheduler/zone-ties.js';
import { emptyCellState, schedule } from '../../../src/index.js';

describe('zone order for ties (Diego visits zones in a fresh random order per auction)', () => {
  it('is a permutation, the same for the same seed and auction, and spread over auctions', () => {
    const first = new Map<number, number>();
    for (let k = 0; k < 3000; k++) {
      const pos = new Int32Array(3);
      zoneTieOrder(zoneTieSeed(7), `app-${k}.0`, 3, pos);
      expect([...pos].sort()).toEqual([0, 1, 2]);
      const again = new Int32Array(3);
      zoneTieOrder(zoneTieSeed(7), `app-${k}.0`, 3, again);
      expect(again).toEqual(pos);
      const z = pos.indexOf(0);
      first.set(z, (first.get(z) ?? 0) + 1);
    }
    // Each zone comes first about a third of the time.
    for (const z of [0, 1, 2]) expect(first.get(z)!).toBeGreaterThan(850);
  });

  it('sends equally good single instances to every zone, not to the one with the best-ranked cell', () => {
    const cells = ['z1', 'z2', 'z3'].flatMap((zone) => [0, 1].map((i) => emptyCellState({ cell_id: `${zone}-${i}`, cell_index: i, zone, memoryMB: 4096, diskMB: 4096, containers: 100 })));
    // 30 one-instance apps in separate batches onto empty cells: every cell scores the same each time.
    const byZone = new Map<string, number>();
    for (let k = 0; k < 30; k++) {
      const r = schedule({ cells, lrps: [{ process_guid: `a${k}`, domain: 'd', indices: [0], PlacementTags: [], VolumeDrivers: [], RootFs: 'preloaded:cflinuxfs4', MemoryMB: 64, DiskMB: 64, MaxPids: 0 }], tasks: [] }, { seed: 3 });
      const cell = r.cells.find((c) => c.lrps.length > 0)!;
      const zone = cell.cell_id.split('-')[0]!;
      byZone.set(zone, (byZone.get(zone) ?? 0) + 1);
    }
    expect([...byZone.keys()].sort()).toEqual(['z1', 'z2', 'z3']);
  });
});

describe("Diego's stress mix onto empty cells (the issue's case)", () => {
  it('10,000 instances on 1,000 empty cells end with exactly 10 on every cell, whatever the seed (as Diego, 5 runs of 5)', async () => {
    const { diegoCells, stressMix } = await import('../../../bench/stress-mix.js');
    for (const seed of [0, 1, 2]) {
      const r = schedule({ cells: diegoCells(1000), lrps: stressMix(0, 400), tasks: [] }, { strategy: 'diego', seed });
      const counts = new Set(r.statesAfter.map((c) => c.LRPs.length));
      expect([...counts]).toEqual([10]);
    }
  });
});
