import { describe, expect, it } from 'vitest';
import { emptyCellState, schedule } from '../../../src/index.js';
import { cell, cellWith, lrps, running } from '../../support/fixtures.js';

const three = () => [cell('c0', { cell_index: 0 }), cellWith('c1', [running('x', 0, 300)], { cell_index: 1 }), cell('c2', { cell_index: 2, memory: 2048 })];
const where = (r: ReturnType<typeof schedule>) => Object.fromEntries(r.cells.flatMap((c) => c.lrps.map((l) => [`${l.process_guid}.${l.index}`, c.cell_id])));

describe('baseline strategies', () => {
  it('first-fit fills the lowest-index cell first', () => {
    const r = schedule({ cells: three(), lrps: [lrps('app', 3, 100)] }, { strategy: 'first-fit' });
    expect(Object.values(where(r))).toEqual(['c0', 'c0', 'c0']);
  });

  it('first-fit moves on when the low cell is full', () => {
    const r = schedule({ cells: [cell('c0', { cell_index: 0, memory: 150 }), cell('c1', { cell_index: 1 })], lrps: [lrps('app', 2, 100)] }, { strategy: 'first-fit' });
    expect(where(r)).toEqual({ 'app.0': 'c0', 'app.1': 'c1' });
  });

  it('best-fit takes the cell left with the least free memory', () => {
    const r = schedule({ cells: three(), lrps: [lrps('app', 1, 100)] }, { strategy: 'best-fit' });
    expect(where(r)['app.0']).toBe('c1');
  });

  it('worst-fit takes the cell left with the most free memory', () => {
    const r = schedule({ cells: three(), lrps: [lrps('app', 1, 100)] }, { strategy: 'worst-fit' });
    expect(where(r)['app.0']).toBe('c2');
  });

  it('round-robin rotates through the cells in index order', () => {
    const r = schedule({ cells: three(), lrps: [lrps('a', 1, 10), lrps('b', 1, 10), lrps('c', 1, 10), lrps('d', 1, 10)] }, { strategy: 'round-robin' });
    expect(['a.0', 'b.0', 'c.0', 'd.0'].map((k) => where(r)[k])).toEqual(['c0', 'c1', 'c2', 'c0']);
  });

  it("baselines fail with Diego's reasons", () => {
    const r = schedule({ cells: three(), lrps: [lrps('huge', 1, 5000), lrps('win', 1, 10, { RootFs: 'preloaded:windows2019' })] }, { strategy: 'best-fit' });
    expect(r.failures.map((f) => f.reason).sort()).toEqual(['found no compatible cell for required rootfs', 'insufficient resources: memory']);
  });
});

describe('CPU-accounting cells', () => {
  // Two cells alike in memory; c1 has most of its CPU in use already.
  const cpuCells = () => [
    emptyCellState({ cell_id: 'c0', zone: 'z1', memoryMB: 4096, diskMB: 4096, containers: 100, cpuMilli: 8000, cell_index: 0 }),
    { ...emptyCellState({ cell_id: 'c1', zone: 'z1', memoryMB: 4096, diskMB: 4096, containers: 100, cpuMilli: 8000, cell_index: 1 }), AvailableResources: { MemoryMB: 4096, DiskMB: 4096, Containers: 100, CpuMilli: 1000 } },
  ];
  const placedOn = (strategy: string, settings: Record<string, number> = {}) =>
    where(schedule({ cells: cpuCells(), lrps: [lrps('app', 1, 100, { CpuMilli: 500 })] }, { strategy, settings }))['app.0'];

  it("kubernetes scores CPU and memory, as kube-scheduler's defaults do: LeastAllocated goes to the idle CPU", () => {
    expect(placedOn('kubernetes')).toBe('c0');
    expect(placedOn('kubernetes', { leastAllocatedWeight: 0, balancedAllocationWeight: 0, mostAllocatedWeight: 1 })).toBe('c1');
  });

  it("nomad packs by Nomad's own CPU and memory fitness, or spreads by it", () => {
    expect(placedOn('nomad', { limit: 2, antiAffinityPenalty: 0 })).toBe('c1');
    expect(placedOn('nomad', { limit: 2, antiAffinityPenalty: 0, spread: 1 })).toBe('c0');
  });

  it("diego keeps Diego's score (no CPU term) unless scoreCpu adds it", () => {
    // Diego's score ties the two cells on memory, disk and containers; the seeded order decides.
    const seeds = [0, 1, 2, 3, 4, 5, 6, 7].map((seed) => where(schedule({ cells: cpuCells(), lrps: [lrps('app', 1, 100, { CpuMilli: 500 })] }, { seed }))['app.0']);
    expect(new Set(seeds)).toEqual(new Set(['c0', 'c1']));
    const scored = [0, 1, 2, 3, 4, 5, 6, 7].map((seed) => where(schedule({ cells: cpuCells(), lrps: [lrps('app', 1, 100, { CpuMilli: 500 })] }, { seed, settings: { scoreCpu: 1 } }))['app.0']);
    expect(new Set(scored)).toEqual(new Set(['c0']));
  });

  it('every baseline fits on every dimension: no cell without the CPU or the device gets the work', () => {
    for (const strategy of ['first-fit', 'best-fit', 'worst-fit', 'round-robin', 'random']) {
      const r = schedule({ cells: cpuCells(), lrps: [lrps('big', 1, 100, { CpuMilli: 2000 }), lrps('gpu', 1, 100, { GpuCount: 1 })] }, { strategy });
      expect(where(r)['big.0']).toBe('c0');
      expect(r.failures.map((f) => f.reason)).toEqual(['insufficient resources: gpu']);
    }
  });
});
