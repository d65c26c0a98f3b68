import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { placementOrder } from '../../src/index.js';
import { hash32 } from '../../src/core/hash.js';
import { batchOf, lrps, task } from '../support/fixtures.js';

const ids = (b: ReturnType<typeof batchOf>) => placementOrder(b).map((a) => a.id);

describe('placement order', () => {
  it('index-0 LRPs go before tasks', () => {
    expect(ids(batchOf([lrps('a', 1)], [task('t')]))).toEqual(['a.0', 't']);
  });

  it('tasks go before index-1 LRPs', () => {
    expect(ids(batchOf([lrps('a', 2)], [task('t')]))).toEqual(['a.0', 't', 'a.1']);
  });

  it('within each group, larger memory goes first (boulders before pebbles)', () => {
    const b = batchOf([lrps('small', 2, 10), lrps('big', 2, 500)], [task('t1', 5), task('t2', 50)]);
    expect(ids(b)).toEqual(['big.0', 'small.0', 't2', 't1', 'big.1', 'small.1']);
  });

  it('higher indices follow in index order, each by memory descending', () => {
    const b = batchOf([lrps('a', 3, 10), lrps('b', 2, 20)]);
    expect(ids(b)).toEqual(['b.0', 'a.0', 'b.1', 'a.1', 'a.2']);
  });

  it('equal keys keep their arrival order', () => {
    expect(ids(batchOf([lrps('x', 1), lrps('y', 1), lrps('z', 1)]))).toEqual(['x.0', 'y.0', 'z.0']);
  });

  it('orders as a stable sort by index, then memory descending, with tasks after index 0', () => {
    const memory = fc.oneof(fc.constantFrom(32, 128, 1024), fc.double({ min: 1, max: 4096, noNaN: true }));
    fc.assert(
      fc.property(
        fc.array(fc.record({ n: fc.integer({ min: 1, max: 5 }), memory }), { maxLength: 40 }),
        fc.array(fc.constantFrom(5, 50, 500), { maxLength: 5 }),
        (apps, taskMemory) => {
          const b = batchOf(
            apps.map((a, i) => lrps(`app${i}`, a.n, a.memory)),
            taskMemory.map((m, i) => task(`t${i}`, m)),
          );
          const sorted = [...b.lrps].sort((x, y) => x.lrp.index - y.lrp.index || y.lrp.MemoryMB - x.lrp.MemoryMB);
          const tasks = [...b.tasks].sort((x, y) => y.task.MemoryMB - x.task.MemoryMB);
          const split = sorted.filter((a) => a.lrp.index === 0).length;
          const want = [...sorted.slice(0, split), ...tasks, ...sorted.slice(split)].map((a) => a.id);
          expect(placementOrder(b).map((a) => a.id)).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('placement order with a seed (Diego sorts with an unstable sort)', () => {
  it('keeps the key order, scrambles equal keys the same way for a seed, and differently for another', () => {
    const b = batchOf(Array.from({ length: 40 }, (_, k) => lrps(`app${k}`, 1, 64)));
    const one = placementOrder(b, 1).map((a) => a.id);
    expect(placementOrder(b, 1).map((a) => a.id)).toEqual(one);
    expect(new Set(one).size).toBe(40);
    expect(one).not.toEqual(placementOrder(b).map((a) => a.id));
    expect(placementOrder(b, 2).map((a) => a.id)).not.toEqual(one);
  });

  it('is the key order, then hash32("<seed>:<id>"), then id, for any batch (a reference sort)', () => {
    const memory = fc.oneof(fc.constantFrom(0, 32, 128, 1024), fc.double({ min: 0, max: 4096, noNaN: true }));
    fc.assert(
      fc.property(
        fc.array(fc.record({ n: fc.integer({ min: 1, max: 4 }), memory }), { maxLength: 40 }),
        fc.array(fc.constantFrom(5, 50, 500), { maxLength: 6 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (apps, taskMemory, seed) => {
          const b = batchOf(
            apps.map((a, i) => lrps(`app${i}`, a.n, a.memory)),
            taskMemory.map((m, i) => task(`t${i}`, m)),
          );
          const h = (id: string) => hash32(`${seed}:${id}`);
          const tie = (x: { id: string }, y: { id: string }) => h(x.id) - h(y.id) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
          const sorted = [...b.lrps].sort((x, y) => x.lrp.index - y.lrp.index || y.lrp.MemoryMB - x.lrp.MemoryMB || tie(x, y));
          const tasks = [...b.tasks].sort((x, y) => y.task.MemoryMB - x.task.MemoryMB || tie(x, y));
          const split = sorted.filter((a) => a.lrp.index === 0).length;
          const want = [...sorted.slice(0, split), ...tasks, ...sorted.slice(split)].map((a) => a.id);
          expect(placementOrder(b, seed).map((a) => a.id)).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });
  // The reference order of the seeded sort, written out: keys, then hash32("<seed>:<id>"), then id,
  // then arrival.
  const reference = (b: ReturnType<typeof batchOf>, seed: number) => {
    const h = (id: string) => hash32(`${seed}:${id}`);
    const tie = (x: { id: string }, y: { id: string }) => h(x.id) - h(y.id) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
    const sorted = [...b.lrps].sort((x, y) => x.lrp.index - y.lrp.index || y.lrp.MemoryMB - x.lrp.MemoryMB || tie(x, y));
    const tasks = [...b.tasks].sort((x, y) => y.task.MemoryMB - x.task.MemoryMB || tie(x, y));
    const split = sorted.filter((a) => a.lrp.index === 0).length;
    return [...sorted.slice(0, split), ...tasks, ...sorted.slice(split)].map((a) => a.id);
  };

  it('is the reference order for batches of hundreds, LRPs and tasks both sorted by buckets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ n: fc.integer({ min: 1, max: 4 }), memory: fc.constantFrom(32, 128, 1024, 2048) }), { minLength: 16, maxLength: 300 }),
        fc.array(fc.constantFrom(5, 50, 500), { minLength: 16, maxLength: 60 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (apps, taskMemory, seed) => {
          const b = batchOf(
            apps.map((a, i) => lrps(`app${i}`, a.n, a.memory)),
            taskMemory.map((m, i) => task(`t${i}`, m)),
          );
          expect(placementOrder(b, seed).map((a) => a.id)).toEqual(reference(b, seed));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('is the reference order for a batch larger than the space kept between batches, and for small ones before and after', () => {
    const small = batchOf(Array.from({ length: 50 }, (_, k) => lrps(`s${k}`, 2, k % 2 === 0 ? 64 : 256)));
    const large = batchOf(Array.from({ length: 25_000 }, (_, k) => lrps(`big${k}`, 3, [32, 128, 1024][k % 3])));
    expect(large.lrps.length).toBeGreaterThan(2 ** 16);
    const want = reference(small, 3);
    expect(placementOrder(small, 3).map((a) => a.id)).toEqual(want);
    expect(placementOrder(large, 3).map((a) => a.id)).toEqual(reference(large, 3));
    expect(placementOrder(small, 3).map((a) => a.id)).toEqual(want);
  });

  it('orders equal hashes by id, and equal ids by arrival, in a batch large enough to sort by buckets', () => {
    // Under seed 7, app149599.0 and app312382.0 hash alike, as do app149598.0 and app312383.0
    // (found by search); each pair comes in the other order, among fillers of the same keys.
    const seed = 7;
    expect(hash32(`${seed}:app149599.0`)).toBe(hash32(`${seed}:app312382.0`));
    expect(hash32(`${seed}:app149598.0`)).toBe(hash32(`${seed}:app312383.0`));
    const fillers = Array.from({ length: 40 }, (_, i) => lrps(`f${i}`, 1, i % 3 === 0 ? 128 : 32));
    const b = batchOf([lrps('app312382', 1), ...fillers.slice(0, 20), lrps('app149599', 1), lrps('app312383', 1), ...fillers.slice(20), lrps('app149598', 1)]);
    // The same id twice (placementOrder takes any batch): arrival order between them.
    const twin = { ...b.lrps[3]!, lrp: { ...b.lrps[3]!.lrp, instance_guid: 'second' } };
    b.lrps.push(twin);
    const h = (id: string) => hash32(`${seed}:${id}`);
    const want = b.lrps
      .map((a, arrival) => ({ a, arrival }))
      .sort((x, y) => x.a.lrp.index - y.a.lrp.index || y.a.lrp.MemoryMB - x.a.lrp.MemoryMB || h(x.a.id) - h(y.a.id) || (x.a.id < y.a.id ? -1 : x.a.id > y.a.id ? 1 : 0) || x.arrival - y.arrival)
      .map((x) => x.a);
    const got = placementOrder(b, seed);
    expect(got).toEqual(want);
    expect(got.indexOf(twin)).toBe(got.indexOf(b.lrps[3]!) + 1);
    const at = (id: string) => got.findIndex((a) => a.id === id);
    expect(at('app312382.0')).toBe(at('app149599.0') + 1);
    expect(at('app312383.0')).toBe(at('app149598.0') + 1);
  });
});
