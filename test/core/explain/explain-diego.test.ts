import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainDiegoBatch } from '../../../src/core/explain/explain-diego.js';
import { buildBatch, schedule } from '../../../src/index.js';
import { clusterArb, diegoSettingsArb, lrpRequestsArb, taskRequestsArb } from '../../../src/testing/arbitraries.js';
import { decisionsOf } from '../../support/decisions.js';
import { batchOf, cell, cellWith, lrps, running, task } from '../../support/fixtures.js';

const DIEGO = { startingContainerWeight: 0.25, binPackFirstFitWeight: 0, startingContainerCountMaximum: 0 };

describe("explaining Diego's batch auction", () => {
  it('hand-computed: the zone with fewer of the app is tried first, its cell scored term by term, the other zone not reached', () => {
    const a = cell('a', { Zone: 'z1', memory: 1000, disk: 1000, containers: 10 });
    // b already runs an instance of web and has two containers starting.
    const b = cellWith('b', [running('web', 5, 100)], { Zone: 'z2', memory: 1000, disk: 1000, containers: 10, StartingContainerCount: 2 });
    const [e] = explainDiegoBatch([a, b], batchOf([lrps('web', 1, 100)]), DIEGO, 1);
    expect(e!.placedOn).toBe('a');
    expect(e!.zones).toEqual([
      { zone: 'z1', instancesOfApp: 0, passedFilters: 1, reached: true },
      { zone: 'z2', instancesOfApp: 1, passedFilters: 1, reached: false },
    ]);
    // memory 1 - 900/1000, disk 1 - 990/1000, containers 1 - 9/10; nothing starting, no locality.
    expect(e!.cells[0]).toEqual({ cell: 'a', zone: 'z1', verdict: 'scored', score: (1 - 900 / 1000 + (1 - 990 / 1000) + (1 - 9 / 10)) / 3, terms: { memory: 1 - 900 / 1000, disk: 1 - 990 / 1000, containers: 1 - 9 / 10, starting: 0, locality: 0, binPack: 0 } });
    expect(e!.cells[0]!.verdict === 'scored' && e!.cells[0]!.score).toBeCloseTo(0.07, 12);
    expect([e!.strategy, e!.rule]).toEqual(['diego', 'lower score wins; score = (memory + disk + containers) / 3 + starting + locality + binPack']);
    expect(e!.cells[1]).toEqual({ cell: 'b', zone: 'z2', verdict: 'not-reached' });
    expect(e!.runnerUp).toBeUndefined();
  });

  it('in one zone: locality and starting containers in the terms, the runner-up and the margin', () => {
    const a = cellWith('a', [running('web', 5, 100)], { memory: 1000, disk: 1000, containers: 10 });
    const b = cell('b', { memory: 1000, disk: 1000, containers: 10, StartingContainerCount: 4 });
    const [e] = explainDiegoBatch([a, b], batchOf([lrps('web', 1, 100)]), DIEGO, 1);
    // b: (0.1 + 0.01 + 0.1) / 3 + 4 x 0.25 = 1.07; a (one web instance of 100 MB, 10 MB disk on it):
    // (0.2 + 0.02 + 0.2) / 3 + 1000 = 1000.14.
    expect(e!.placedOn).toBe('b');
    const [first, second] = e!.cells;
    expect(first).toMatchObject({ cell: 'b', terms: { starting: 1, locality: 0 } });
    expect(second).toMatchObject({ cell: 'a', terms: { starting: 0, locality: 1000 } });
    expect(e!.runnerUp?.cell).toBe('a');
    expect(e!.margin).toBeCloseTo(1000.14 - 1.07, 9);
    expect(e!.decidedByTie).toBe(false);
  });

  it('"insufficient resources" while cells show free memory: each cell says what it lacks', () => {
    // Plenty of memory everywhere, but one cell has no container left and the other no disk:
    // Diego's message names only the problems every cell shares (here none).
    const full = cell('full', { memory: 32_768, disk: 1024, containers: 10, AvailableResources: { MemoryMB: 30_000, DiskMB: 1000, Containers: 0 } });
    const noDisk = cell('no-disk', { memory: 32_768, disk: 1024, containers: 10, AvailableResources: { MemoryMB: 30_000, DiskMB: 5, Containers: 8 } });
    const docker = cell('windows', { RootFSProviders: { preloaded: { type: 'fixed_set', set: { windows2016: {} } } } });
    const [e] = explainDiegoBatch([full, noDisk, docker], batchOf([lrps('web', 1, 512)]), DIEGO, 1);
    expect(e!.placedOn).toBeNull();
    expect(e!.reason).toBe('insufficient resources');
    expect(e!.cells).toEqual([
      { cell: 'full', zone: 'z1', verdict: 'insufficient', problems: ['containers'], needed: { MemoryMB: 512, DiskMB: 10, Containers: 1 }, available: { MemoryMB: 30_000, DiskMB: 1000, Containers: 0 } },
      { cell: 'no-disk', zone: 'z1', verdict: 'insufficient', problems: ['disk'], needed: { MemoryMB: 512, DiskMB: 10, Containers: 1 }, available: { MemoryMB: 30_000, DiskMB: 5, Containers: 8 } },
      { cell: 'windows', zone: 'z1', verdict: 'filtered', filter: 'rootfs', error: 'found no compatible cell for required rootfs' },
    ]);
  });

  it('an evacuating cell is left out of the auction, as the auctioneer leaves out its state', () => {
    const [e] = explainDiegoBatch([cell('a', { Evacuating: true }), cell('b')], batchOf([lrps('web', 1)]), DIEGO, 1);
    expect(e!.placedOn).toBe('b');
    expect(e!.cells.map((c) => [c.cell, c.verdict])).toEqual([['b', 'scored'], ['a', 'evacuating']]);
  });

  it('tasks ignore zones; a placement-tag mismatch names the tags', () => {
    const plain = cell('plain');
    const gold = cell('gold', { PlacementTags: ['gold'] });
    const [e] = explainDiegoBatch([plain, gold], batchOf([], [task('t1', 10, { PlacementTags: [] })]), DIEGO, 1);
    expect(e!.zones).toEqual([]);
    expect(e!.placedOn).toBe('plain');
    expect(e!.cells[1]).toMatchObject({ cell: 'gold', verdict: 'filtered', filter: 'placement-tags' });
  });

  it('property: for random clusters and batches, the explained winner is where schedule() puts it, best first, terms adding up', () => {
    fc.assert(
      fc.property(clusterArb(), lrpRequestsArb, taskRequestsArb, diegoSettingsArb, fc.nat(1000), fc.array(fc.boolean(), { maxLength: 12 }), (cluster, l, t, settings, seed, draining) => {
        // Some cells draining, which the auctioneer leaves out.
        const cells = cluster.map((c, i) => ({ ...c, Evacuating: draining[i] === true }));
        const { decided } = decisionsOf(schedule({ cells, lrps: l, tasks: t }, { strategy: 'diego', settings, seed }));
        const explained = explainDiegoBatch(cells, buildBatch(l, t, { seed }).batch, settings, seed);
        for (const e of explained) {
          expect(e.placedOn ?? undefined).toBe(decided.get(e.id));
          const scored = e.cells.filter((c) => c.verdict === 'scored');
          if (e.placedOn !== null && e.reason === undefined) expect(scored[0]?.cell).toBe(e.placedOn);
          for (const c of scored) {
            const x = c.terms as Record<'memory' | 'disk' | 'containers' | 'starting' | 'locality' | 'binPack', number>;
            expect((x.memory + x.disk + x.containers) / 3 + x.starting + x.locality + x.binPack).toBe(c.score);
          }
          for (let i = 1; i < scored.length; i++) expect(scored[i]!.score).toBeGreaterThanOrEqual(scored[i - 1]!.score);
        }
      }),
      { numRuns: 200 },
    );
  });
});
