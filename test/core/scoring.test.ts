import { describe, expect, it } from 'vitest';
import { LOCALITY_OFFSET, resourceScore, scoreLRP, scoreTask } from '../../src/index.js';
import { cell, cellWith, running } from '../support/fixtures.js';

const w = { startingContainerWeight: 0.25, binPackFirstFitWeight: 0 };

describe('scoring', () => {
  it('resource score is the mean used fraction after placement', () => {
    // 1000 MB, 1000 disk, 10 containers; placing 100/100 leaves 900/900/9: each fraction is 0.1.
    const s = resourceScore({ MemoryMB: 1000, DiskMB: 1000, Containers: 10 }, { MemoryMB: 1000, DiskMB: 1000, Containers: 10 }, 100, 100, 0, 0.25);
    expect(s).toBeCloseTo(0.1, 12);
  });

  it('each starting container adds the starting-container weight', () => {
    const a = { MemoryMB: 1000, DiskMB: 1000, Containers: 10 };
    expect(resourceScore(a, a, 100, 100, 4, 0.25) - resourceScore(a, a, 100, 100, 0, 0.25)).toBeCloseTo(1.0, 12);
  });

  it('an LRP scores 1000 more per instance of the same app on the cell', () => {
    const empty = cell('a', { memory: 1000, disk: 1000 });
    const withOne = cellWith('b', [running('app', 0, 0)], { memory: 1000, disk: 1000 });
    withOne.AvailableResources = { ...empty.AvailableResources };
    const lrp = { process_guid: 'app', MemoryMB: 100, DiskMB: 100 };
    expect(scoreLRP(withOne, lrp, w) - scoreLRP(empty, lrp, w)).toBe(LOCALITY_OFFSET);
  });

  it("an LRP's memory includes the cell's proxy allocation when scored", () => {
    const plain = cell('a', { memory: 1000, disk: 1000 });
    const proxied = cell('b', { memory: 1000, disk: 1000, ProxyMemoryAllocationMB: 300 });
    const lrp = { process_guid: 'x', MemoryMB: 100, DiskMB: 0 };
    // memory fraction 0.1 vs 0.4; difference / 3 = 0.1
    expect(scoreLRP(proxied, lrp, w) - scoreLRP(plain, lrp, w)).toBeCloseTo(0.1, 12);
  });

  it('the bin-pack first-fit weight adds index x weight', () => {
    const c = cell('a');
    const lrp = { process_guid: 'x', MemoryMB: 10, DiskMB: 10 };
    const base = scoreLRP(c, lrp, w, 0);
    expect(scoreLRP(c, lrp, { ...w, binPackFirstFitWeight: 0.5 }, 4) - base).toBeCloseTo(2, 12);
  });

  it('a task scores 1000 more per task on the cell and ignores proxy memory', () => {
    const c = cell('a', { ProxyMemoryAllocationMB: 500 });
    const t = { MemoryMB: 10, DiskMB: 10 };
    const before = scoreTask(c, t, w);
    c.Tasks.push({ TaskGuid: 't', Domain: '', PlacementTags: [], VolumeDrivers: [], RootFs: '', MemoryMB: 0, DiskMB: 0, MaxPids: 0, state: '', failed: false });
    expect(scoreTask(c, t, w) - before).toBe(LOCALITY_OFFSET);
    expect(before).toBeCloseTo(resourceScore(c.AvailableResources, c.TotalResources, 10, 10, 0, 0.25), 12);
  });
});
