import { describe, expect, it } from 'vitest';
import { feasibleToFind, nomadLimit, schedule } from '../../../src/index.js';
import { counted } from '../../support/counting-driver.js';
import { cell, cellWith, lrps, running } from '../../support/fixtures.js';

const many = (n: number, zones = 1) => Array.from({ length: n }, (_, i) => cell(`c${String(i).padStart(2, '0')}`, { memory: 1000, Zone: `z${i % zones}`, cell_index: i }));

describe('sparrow', () => {
  it('does not probe again a cell that refused the job for its constraints: a rare tag is found within the rounds', () => {
    // One gold cell of eight: random probes of two a round missed it for thirty rounds on one seed.
    const cells = [...many(7), cell('gold', { memory: 1000, PlacementTags: ['gold'], cell_index: 7 })];
    for (let seed = 0; seed < 200; seed++) {
      const r = schedule({ cells, lrps: [lrps('tagged', 1, 10, { PlacementTags: ['gold'] })], tasks: [] }, { strategy: 'sparrow', seed });
      expect(r.cells.filter((c) => c.lrps.length > 0).map((c) => c.cell_id), `seed ${seed}`).toEqual(['gold']);
    }
    // With no cell that fits, every cell is probed once and the job fails with the tag error.
    const none = counted('sparrow', many(8), [lrps('tagged', 1, 10, { PlacementTags: ['gold'] })]);
    expect(none.counts['bid']).toBe(8);
    expect(none.outcome.failed[0]?.reason).toBe('found no compatible cell with placement tag "gold"');
  });

  it('probes exactly d x m cells for a job of m instances, and binds them to different cells', () => {
    const { outcome, counts } = counted('sparrow', many(20), [lrps('app', 3)]);
    expect(counts['bid']).toBe(2 * 3);
    expect([counts['reserve'], counts['claim']]).toEqual([3, 3]);
    expect(new Set(outcome.placed.map((p) => p.cell)).size).toBe(3);
  });

  it('the probe ratio is a setting', () => {
    expect(counted('sparrow', many(20), [lrps('app', 4)], { probeRatio: 3 }).counts['bid']).toBe(12);
  });
});

describe('kubernetes', () => {
  it('scores every feasible cell below 100 cells, an adaptive share above', () => {
    expect(feasibleToFind(50, 0)).toBe(50);
    expect(feasibleToFind(1000, 0)).toBe(420); // 50 - 1000/125 = 42%
    expect(feasibleToFind(10_000, 0)).toBe(500); // max(5%, ...) = 5% of 10,000
    expect(feasibleToFind(1000, 10)).toBe(100); // at least 100
  });

  it('topology spread keeps an app within maxSkew across zones', () => {
    const r = schedule({ cells: many(9, 3), lrps: [lrps('app', 6)] }, { strategy: 'kubernetes' });
    const perZone = new Map<string, number>();
    for (const c of r.cells) perZone.set(c.zone, (perZone.get(c.zone) ?? 0) + c.lrps.length);
    expect([...perZone.values()]).toEqual([2, 2, 2]);
  });

  it('MostAllocated packs: with it alone, the fullest fitting cell wins', () => {
    const cells = [cell('empty', { memory: 1000 }), cellWith('busy', [running('x', 0, 500)], { memory: 1000 })];
    const r = schedule({ cells, lrps: [lrps('app', 1)] }, { strategy: 'kubernetes', settings: { leastAllocatedWeight: 0, balancedAllocationWeight: 0, topologySpreadWeight: 0, mostAllocatedWeight: 1 } });
    expect(r.cells.find((c) => c.lrps.length > 0)?.cell_id).toBe('busy');
  });
});

describe('nomad', () => {
  it('scores max(2, ceil(log2 n)) cells by default', () => {
    expect([nomadLimit(1), nomadLimit(3), nomadLimit(1000), nomadLimit(1024), nomadLimit(1025)]).toEqual([2, 2, 10, 10, 11]);
  });

  it('bin-packs among the cells it looks at, and spreads with spread = 1', () => {
    const cells = [cell('empty', { memory: 1000 }), cellWith('busy', [running('x', 0, 500)], { memory: 1000 })];
    const packed = schedule({ cells, lrps: [lrps('app', 1)] }, { strategy: 'nomad' });
    expect(packed.cells.find((c) => c.lrps.length > 0)?.cell_id).toBe('busy');
    const spread = schedule({ cells, lrps: [lrps('app', 1)] }, { strategy: 'nomad', settings: { spread: 1 } });
    expect(spread.cells.find((c) => c.lrps.length > 0)?.cell_id).toBe('empty');
  });

  it('looks at no more than its limit: with limit 1 the choice is random, not the best', () => {
    const cells = [cellWith('busy', [running('x', 0, 900)], { memory: 1000 }), ...many(15)];
    const chosen = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const r = schedule({ cells, lrps: [lrps('app', 1, 50)] }, { strategy: 'nomad', settings: { limit: 1 }, seed });
      chosen.add(r.cells.find((c) => c.lrps.length > 0)!.cell_id);
    }
    expect(chosen.size).toBeGreaterThan(3);
  });
});
