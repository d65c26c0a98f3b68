import { describe, expect, it } from 'vitest';
import {
  DIEGO_DEFAULTS,
  ERR_INFLIGHT_LIMIT,
  ERR_ROOTFS,
  ERR_VOLUME_DRIVERS,
  referenceScheduleBatch,
  type CellState,
  type DiegoSettings,
} from '../../../src/index.js';
import { ClusterSnapshot } from '../../../src/core/scheduler/cluster-snapshot.js';
import { scheduleBatch } from '../../../src/core/scheduler/diego-scheduler.js';
import { batchOf, cell, cellWith, lrps, running, task } from '../../support/fixtures.js';

function run(cells: CellState[], b: ReturnType<typeof batchOf>, settings: Partial<DiegoSettings> = {}, seed = 0) {
  const s = { ...DIEGO_DEFAULTS, ...settings };
  const snap = new ClusterSnapshot(cells, { seed, normaliseIndices: s.binPackFirstFitWeight > 0 });
  const out = scheduleBatch(snap, b, s);
  // Every rule test also checks the fast scheduler against the readable port of Diego's.
  const ref = referenceScheduleBatch(cells, b, s, seed);
  expect(out.placed.map((p) => [p.auction.id, p.cell])).toEqual(ref.placed.map((p) => [p.auction.id, p.cell]));
  expect(out.failed.map((f) => [f.auction.id, f.reason])).toEqual(ref.failed.map((f) => [f.auction.id, f.reason]));
  const where = Object.fromEntries(out.placed.map((p) => [p.auction.id, cells[p.cell]!.cell_id]));
  const why = Object.fromEntries(out.failed.map((f) => [f.auction.id, f.reason]));
  return { out, where, why, snap };
}

describe('diego scheduler', () => {
  it('an app goes to the cell with the fewest instances of it, even a busier one', () => {
    const busy = cellWith('busy', [running('other', 0, 500)]);
    const hasApp = cellWith('has-app', [running('app', 0, 10)]);
    const { where } = run([busy, hasApp], batchOf([{ ...lrps('app', 2), indices: [1] }]));
    expect(where['app.1']).toBe('busy');
  });

  it('among cells with equal instance counts, the least loaded wins', () => {
    const { where } = run([cellWith('loaded', [running('x', 0, 400)]), cell('free')], batchOf([lrps('app', 1)]));
    expect(where['app.0']).toBe('free');
  });

  it('instances placed earlier in the batch count against a cell', () => {
    const { where } = run([cell('a'), cell('b')], batchOf([lrps('app', 2)]));
    expect(new Set([where['app.0'], where['app.1']])).toEqual(new Set(['a', 'b']));
  });

  it('zones: the zone with fewer instances of the app wins over a less loaded one', () => {
    const z1 = cellWith('z1-cell', [running('app', 0, 10)], { Zone: 'z1' });
    const z2 = cellWith('z2-cell', [running('other', 0, 800)], { Zone: 'z2' });
    const z1free = cell('z1-free', { Zone: 'z1' });
    const { where } = run([z1, z2, z1free], batchOf([{ ...lrps('app', 2), indices: [1] }]));
    expect(where['app.1']).toBe('z2-cell');
  });

  it('zones tied on count are scored together', () => {
    // z1 and z2 both hold no instance of app; the best cell is in z2 and must win.
    const z1 = cellWith('z1-loaded', [running('x', 0, 600)], { Zone: 'z1' });
    const z2 = cell('z2-free', { Zone: 'z2' });
    const z3 = cellWith('z3-has', [running('app', 0, 10)], { Zone: 'z3' });
    const { where } = run([z1, z2, z3], batchOf([{ ...lrps('app', 2), indices: [1] }]));
    expect(where['app.1']).toBe('z2-free');
  });

  it('the next zone group is tried only if nothing fits in the lower-count group', () => {
    const full = cell('z1-full', { Zone: 'z1', memory: 5 });
    const has = cellWith('z2-has', [running('app', 0, 10)], { Zone: 'z2' });
    const { where } = run([full, has], batchOf([{ ...lrps('app', 2), indices: [1] }]));
    expect(where['app.1']).toBe('z2-has');
  });

  it('zones with no cell passing the filters are dropped', () => {
    const win = cell('z1-win', { Zone: 'z1', RootFSProviders: { preloaded: { type: 'fixed_set', set: { windows2019: {} } } } });
    const lin = cellWith('z2-lin', [running('app', 0, 10)], { Zone: 'z2' });
    const { where } = run([win, lin], batchOf([{ ...lrps('app', 2), indices: [1] }]));
    expect(where['app.1']).toBe('z2-lin');
  });

  it('tasks ignore zones and avoid cells with more tasks', () => {
    const a = cell('a', { Zone: 'z1' });
    const b = cell('b', { Zone: 'z2' });
    const { where } = run([a, b], batchOf([], [task('t1'), task('t2')]));
    expect(new Set([where['t1'], where['t2']])).toEqual(new Set(['a', 'b']));
  });

  it('rootfs mismatch everywhere fails with the rootfs error', () => {
    const { why } = run([cell('a')], batchOf([lrps('app', 1, 10, { RootFs: 'preloaded:cflinuxfs2' })]));
    expect(why['app.0']).toBe(ERR_ROOTFS);
  });

  it('a more specific filter error wins over a less specific one', () => {
    const cells = [cell('a', { Zone: 'z1' }), cell('b', { Zone: 'z2', RootFSProviders: {} })];
    const { why } = run(cells, batchOf([lrps('app', 1, 10, { VolumeDrivers: ['nfs'] })], [task('t', 10, { VolumeDrivers: ['nfs'] })]));
    expect(why['app.0']).toBe(ERR_VOLUME_DRIVERS);
    expect(why['t']).toBe(ERR_VOLUME_DRIVERS);
  });

  it('placement-tag mismatch names the tags', () => {
    const { why } = run([cell('a', { PlacementTags: ['seg1'] })], batchOf([lrps('app', 1, 10, { PlacementTags: ['seg2'] })]));
    expect(why['app.0']).toBe('found no compatible cell with placement tag "seg2"');
  });

  it('insufficient resources lists only the problems every cell shared', () => {
    const lowMem = cell('low-mem', { memory: 5, disk: 5000 });
    const lowBoth = cell('low-both', { memory: 5, disk: 5 });
    const { why } = run([lowMem, lowBoth], batchOf([lrps('app', 1, 100, { DiskMB: 100 })]));
    expect(why['app.0']).toBe('insufficient resources: memory');
    const { why: why2 } = run([cell('no-room', { memory: 5, disk: 5, containers: 1, AvailableResources: { MemoryMB: 5, DiskMB: 5, Containers: 0 } })], batchOf([lrps('app', 1, 100, { DiskMB: 100 })]));
    expect(why2['app.0']).toBe('insufficient resources: containers, disk, memory');
  });

  it('a placement reserves resources before the next auction is scored', () => {
    const { where, why } = run([cell('only', { memory: 100 })], batchOf([lrps('a', 1, 60), lrps('b', 1, 60)]));
    // Equal auctions come in Diego's scrambled order (see placementOrder): one of the two goes first.
    const first = ['a.0', 'b.0'].filter((k) => where[k] === 'only');
    expect(first).toHaveLength(1);
    expect(why[first[0] === 'a.0' ? 'b.0' : 'a.0']).toBe('insufficient resources: memory');
  });

  it('proxy memory counts when scoring but the reservation takes only the instance memory', () => {
    const c = cell('p', { memory: 100, ProxyMemoryAllocationMB: 30 });
    const { where, why, snap } = run([c], batchOf([lrps('a', 1, 60), lrps('b', 1, 20)]));
    expect(where['a.0']).toBe('p');
    expect(snap.availMem[0]).toBe(40); // 100 - 60: Diego reserves without the proxy
    expect(why['b.0']).toBe('insufficient resources: memory'); // 20 + 30 proxy > 40 free
  });

  it('the in-flight cap starts from the cells\' StartingContainerCount and fails the rest', () => {
    const cells = [cell('a', { StartingContainerCount: 2 }), cell('b', { StartingContainerCount: 1 })];
    const { out, why } = run(cells, batchOf([lrps('app', 3)]), { startingContainerCountMaximum: 5 });
    expect(out.placed).toHaveLength(2);
    expect(why['app.2']).toBe(ERR_INFLIGHT_LIMIT);
  });

  it('a cap of 0 means no cap', () => {
    const { out } = run([cell('a', { StartingContainerCount: 50 })], batchOf([lrps('app', 5)]), { startingContainerCountMaximum: 0 });
    expect(out.placed).toHaveLength(5);
  });

  it('starting containers make a cell less attractive by the starting-container weight', () => {
    const starting = cell('starting', { StartingContainerCount: 1 });
    const idle = cellWith('idle', [running('x', 0, 100)]);
    // idle is busier (+~0.04) but starting pays 0.25 for its starting container.
    expect(run([starting, idle], batchOf([lrps('app', 1)])).where['app.0']).toBe('idle');
    expect(run([starting, idle], batchOf([lrps('app', 1)]), { startingContainerWeight: 0 }).where['app.0']).toBe('starting');
  });

  it('bin-pack first fit fills low-index cells first, indices renumbered within each zone', () => {
    const cells = [cell('c5', { cell_index: 5 }), cell('c9', { cell_index: 9 }), cell('c7', { cell_index: 7, Zone: 'z2' })];
    const { snap, where } = run(cells, batchOf([lrps('a', 1), lrps('b', 1), lrps('c', 1)]), { binPackFirstFitWeight: 10 });
    expect([...snap.cellIndex]).toEqual([0, 1, 0]);
    expect(Object.values(where).sort()).toEqual(['c5', 'c5', 'c7']);
  });

  it('ties go to the lowest seeded rank: same seed, same winner; seeds change the winner', () => {
    const cells = Array.from({ length: 8 }, (_, i) => cell(`c${i}`));
    const winners = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const first = run(cells, batchOf([lrps('app', 1)]), {}, seed).where['app.0'];
      expect(run(cells, batchOf([lrps('app', 1)]), {}, seed).where['app.0']).toBe(first);
      winners.add(first as string);
    }
    expect(winners.size).toBeGreaterThan(1);
  });

  it('counts only the cells whose score it computed', () => {
    const cells = [cell('a', { Zone: 'z1' }), cell('b', { Zone: 'z2' }), cell('c', { Zone: 'z2', RootFSProviders: {} })];
    expect(run(cells, batchOf([lrps('app', 1)])).out.cellsScored).toBe(2);
  });
});
