import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIEGO_DEFAULTS } from '../../../src/index.js';
import { ClusterSnapshot } from '../../../src/core/scheduler/cluster-snapshot.js';
import { scheduleBatch } from '../../../src/core/scheduler/diego-scheduler.js';
import { emptyKeepingStore, giveBack, setLength, sortIntegers, takeArray } from '../../../src/core/scheduler/scratch.js';
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

  it('empties a plain array in place, ready to be filled again', () => {
    const a = [1, 2, 3, 4, 5];
    emptyKeepingStore(a);
    expect(a).toEqual([]);
    a.push(9);
    expect(a).toEqual([9]);
    emptyKeepingStore(a);
    emptyKeepingStore(a);
    expect(a.length).toBe(0);
  });

  it('sets an array length, shorter, longer or the same', () => {
    const a = [1, 2, 3];
    setLength(a, 3);
    expect(a).toEqual([1, 2, 3]);
    setLength(a, 1);
    expect(a).toEqual([1]);
    setLength(a, 2);
    expect(a.length).toBe(2);
    expect(a[1]).toBeUndefined();
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
    expect(a.workLRPs).not.toBe(b.workLRPs);
  });

  it("a released snapshot's work lists come back empty, and the work they held stays with its perform", () => {
    const cells = [cell('w1', { Zone: 'z1', memory: 4096 }), cell('w2', { Zone: 'z2', memory: 4096 })];
    const first = new ClusterSnapshot(cells, { seed: 2, normaliseIndices: false });
    scheduleBatch(first, batchOf([lrps('web', 3, 256)]), DIEGO_DEFAULTS);
    const lists = first.workLRPs;
    const held = lists.map((l) => [...l]);
    const perCell = [...lists];
    expect(held.flat()).toHaveLength(3);
    first.release();
    const next = new ClusterSnapshot(cells, { seed: 2, normaliseIndices: false });
    expect(next.workLRPs).toBe(lists);
    expect(next.workLRPs.every((l) => l.length === 0)).toBe(true);
    // The lists a commit sent are the snapshot's inner lists: reuse leaves them as they were.
    expect(perCell.map((l) => [...l])).toEqual(held);
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

  it('sortIntegers sorts int32 lists in place as a comparator sort does, short, long and longer than its space', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 3000 }), (xs) => {
        const a = [...xs];
        sortIntegers(a);
        expect(a).toEqual([...xs].sort((x, y) => x - y));
      }),
      { numRuns: 200 },
    );
    // Longer than the space it starts with, then shorter again: the grown space is only read up to the list's end.
    const long = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5003);
    const expected = [...long].sort((x, y) => x - y);
    sortIntegers(long);
    expect(long).toEqual(expected);
    const short = [40, 3, 3, 17, -1, 99, 2, 5, 8, 1, 0, 12, 33, 21, 19, 18, 7];
    sortIntegers(short);
    expect(short).toEqual([-1, 0, 1, 2, 3, 3, 5, 7, 8, 12, 17, 18, 19, 21, 33, 40, 99]);
  });
});
