import { describe, expect, it } from 'vitest';
import { DIEGO_DEFAULTS } from '../../../src/index.js';
import { ClusterSnapshot } from '../../../src/core/scheduler/cluster-snapshot.js';
import { scheduleBatch } from '../../../src/core/scheduler/diego-scheduler.js';
import { MemoryRep } from '../../../src/core/rep/memory-rep.js';
import { PlacementIndex } from '../../../src/core/rep/placement-index.js';
import { buildBatch } from '../../../src/core/batch.js';
import { cell, lrps } from '../../support/fixtures.js';

// Three reps sharing an index, as the simulator's cells do.
function cluster() {
  const index = new PlacementIndex();
  const reps = ['z1', 'z2', 'z1'].map((Zone, i) => new MemoryRep(cell(`c${i + 1}`, { Zone, memory: 8192, containers: 20, ProxyMemoryAllocationMB: 32 }), index));
  return { index, reps, states: () => reps.map((r) => r.state) };
}

describe('ClusterSnapshot.forBatch (the auctioneer snapshot kept between batches)', () => {
  it('gives the released snapshot back for the same cells, brought up to date', () => {
    const { index, reps, states } = cluster();
    const opts = { seed: 3, normaliseIndices: false, index };
    const first = ClusterSnapshot.forBatch(states(), opts);
    const out = scheduleBatch(first, buildBatch([lrps('web', 2, 512)], [], { seed: 1 }).batch, DIEGO_DEFAULTS);
    expect(out.placed).toHaveLength(2);
    const sent = first.workLRPs.map((l) => [...l]);
    first.release();
    sent.forEach((l, c) => l.length > 0 && reps[c]!.perform({ LRPs: l, Tasks: [], cell_id: '' }));
    const versions = [...first.version];
    const second = ClusterSnapshot.forBatch(states(), opts);
    expect(second).toBe(first);
    // The batch's work lists were cleared; each cell's figures are its state's again.
    expect(second.workLRPs.every((l) => l.length === 0)).toBe(true);
    reps.forEach((r, c) => {
      expect(second.availMem[c]).toBe(r.state.AvailableResources.MemoryMB);
      expect(second.starting[c]).toBe(r.state.StartingContainerCount);
    });
    // Only cells whose figures moved on are stale: the ones that took work (the cell also took its
    // proxy's memory, which Diego's auctioneer does not reserve).
    sent.forEach((l, c) => expect(second.version[c]! > versions[c]!).toBe(l.length > 0));
    second.release();
  });

  it('gives another batch a snapshot of its own while one is lent, and keeps nothing without an index', () => {
    const { index, states } = cluster();
    const opts = { seed: 3, normaliseIndices: false, index };
    const lent = ClusterSnapshot.forBatch(states(), opts);
    const other = ClusterSnapshot.forBatch(states(), opts);
    expect(other).not.toBe(lent);
    lent.release();
    other.release();
    // The later one is kept now.
    expect(ClusterSnapshot.forBatch(states(), opts)).toBe(other);
    other.release();
    // Another seed, or other cells, is another snapshot.
    expect(ClusterSnapshot.forBatch(states(), { ...opts, seed: 4 })).not.toBe(other);
    const plain = { seed: 3, normaliseIndices: false };
    const a = ClusterSnapshot.forBatch(states(), plain);
    a.release();
    expect(ClusterSnapshot.forBatch(states(), plain)).not.toBe(a);
  });

  it("a later batch's placement records start empty (records are reused, not their contents)", () => {
    const { index, states } = cluster();
    const opts = { seed: 7, normaliseIndices: false, index };
    const first = ClusterSnapshot.forBatch(states(), opts);
    expect(scheduleBatch(first, buildBatch([lrps('web', 3, 512)], [], { seed: 1 }).batch, DIEGO_DEFAULTS).placed).toHaveLength(3);
    expect(first.instancesOf('web')?.counts.reduce((a, b) => a + b, 0)).toBe(3);
    // The work never reached the cells (turned down, lost): nothing of web is anywhere.
    first.release();
    const second = ClusterSnapshot.forBatch(states(), opts);
    expect(second).toBe(first);
    expect(second.instancesOf('web')).toBeUndefined();
    const out = scheduleBatch(second, buildBatch([lrps('api', 1, 512)], [], { seed: 2 }).batch, DIEGO_DEFAULTS);
    expect(out.placed).toHaveLength(1);
    const api = second.instancesOf('api');
    expect(api?.cells).toHaveLength(1);
    expect(api?.counts).toEqual([1]);
    second.release();
  });

  it('a snapshot released twice in a row is still lent to one batch at a time', () => {
    const { index, states } = cluster();
    const opts = { seed: 5, normaliseIndices: false, index };
    const snap = ClusterSnapshot.forBatch(states(), opts);
    snap.release();
    snap.release();
    const a = ClusterSnapshot.forBatch(states(), opts);
    const b = ClusterSnapshot.forBatch(states(), opts);
    expect(a).toBe(snap);
    expect(b).not.toBe(a);
    expect(b.availMem).not.toBe(a.availMem);
    a.release();
    b.release();
  });
  it("keeps one record per app in a batch, by the index's number or by guid, also when the app is numbered mid-batch", () => {
    const { index, states } = cluster();
    const opts = { seed: 9, normaliseIndices: false, index };
    const snap = ClusterSnapshot.forBatch(states(), opts);
    const count = (p: ReturnType<ClusterSnapshot['instancesOf']>) => p?.counts.reduce((a, b) => a + b, 0);
    // 'web' unnumbered: its reservations are kept by guid.
    expect(scheduleBatch(snap, buildBatch([lrps('web', 2, 512)], [], { seed: 1 }).batch, DIEGO_DEFAULTS).placed).toHaveLength(2);
    expect(count(snap.instancesOf('web'))).toBe(2);
    // Numbered now (as a rep numbers an app it starts between a strategy's rounds): the same record,
    // asked for by guid or by number, and the batch's next reservations add to it.
    const no = index.apps.no('web');
    expect(count(snap.instancesOf('web', no))).toBe(2);
    const more = buildBatch([{ ...lrps('web', 3, 512), indices: [2] }], [], { seed: 1, appNumbers: index.apps }).batch;
    expect(scheduleBatch(snap, more, DIEGO_DEFAULTS).placed).toHaveLength(1);
    expect(count(snap.instancesOf('web', no))).toBe(3);
    expect(count(snap.instancesOf('web'))).toBe(3);
    // 'api' numbered from the start.
    const api = buildBatch([lrps('api', 2, 256)], [], { seed: 2, appNumbers: index.apps }).batch;
    expect(scheduleBatch(snap, api, DIEGO_DEFAULTS).placed).toHaveLength(2);
    expect(count(snap.instancesOf('api', index.apps.no('api')))).toBe(2);
    expect(count(snap.instancesOf('api'))).toBe(2);
    // Nothing reached the cells: the next batch's records start empty, by number or guid.
    snap.release();
    const next = ClusterSnapshot.forBatch(states(), opts);
    expect(next).toBe(snap);
    expect(next.instancesOf('web', no)).toBeUndefined();
    expect(next.instancesOf('api')).toBeUndefined();
    // Records are reused from app to app, never shared: a new app first, then one of the last batch.
    const later = buildBatch([lrps('db', 1, 128), lrps('api', 1, 256)], [], { seed: 3, appNumbers: index.apps }).batch;
    expect(scheduleBatch(next, later, DIEGO_DEFAULTS).placed).toHaveLength(2);
    expect(count(next.instancesOf('db'))).toBe(1);
    expect(count(next.instancesOf('api'))).toBe(1);
    next.release();
  });
});
