import { describe, expect, it } from 'vitest';
import { ClusterSnapshot, DIEGO_DEFAULTS, scheduleBatch } from '../../../src/index.js';
import { giveBack, takeArray } from '../../../src/core/scheduler/scratch.js';
import { batchOf, cell, lrps } from '../../support/fixtures.js';

describe('scheduler scratch arrays', () => {
  it('hands a returned array out again, filled as asked', () => {
    const a = takeArray('f64', 37, 0);
    a.fill(5);
    giveBack('f64', a);
    const b = takeArray('f64', 37, Infinity);
    expect(b).toBe(a);
    expect([...b].every((x) => x === Infinity)).toBe(true);
    // Another length is another pool.
    expect(takeArray('f64', 38, 0)).not.toBe(a);
  });

  it('a snapshot released twice does not give its arrays to two later snapshots', () => {
    const cells = [cell('c1', { Zone: 'z1' }), cell('c2', { Zone: 'z2' }), cell('c3', { Zone: 'z1' })];
    const first = new ClusterSnapshot(cells, { seed: 1, normaliseIndices: false });
    first.release();
    first.release();
    const a = new ClusterSnapshot(cells, { seed: 1, normaliseIndices: false });
    const b = new ClusterSnapshot(cells, { seed: 1, normaliseIndices: false });
    expect(a.availMem).not.toBe(b.availMem);
    expect(a.version).not.toBe(b.version);
  });

  it('a batch scheduled on reused arrays decides as on fresh ones', () => {
    const cells = ['z1', 'z2', 'z1', 'z2'].map((Zone, i) => cell(`c${i + 1}`, { Zone, memory: 4096, containers: 4 }));
    const schedule = () => {
      const snap = new ClusterSnapshot(cells, { seed: 7, normaliseIndices: false });
      const out = scheduleBatch(snap, batchOf([lrps('web', 6, 512), lrps('api', 3, 1024)]), DIEGO_DEFAULTS);
      const decided = out.placed.map((p) => `${p.auction.id}@${p.cell}`);
      snap.release();
      return { decided, failed: out.failed.length, scored: out.cellsScored };
    };
    const fresh = schedule();
    expect(schedule()).toEqual(fresh);
    expect(schedule()).toEqual(fresh);
  });
});
