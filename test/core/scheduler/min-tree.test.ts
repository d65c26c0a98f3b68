import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinTree } from '../../../src/core/scheduler/min-tree.js';

// Everything a tree says: its minimum, its leaf and mask, and the same with each leaf excluded in
// turn (which reads the inner nodes on that leaf's path, so a stale ancestor shows).
function observe(t: MinTree): unknown[] {
  const seen: unknown[] = [t.minKey(), t.minLeaf(), t.andMask()];
  for (let i = 0; i < t.leaves; i++) {
    t.exclude(i);
    seen.push(t.minKey(), t.minLeaf());
    t.restore(i);
  }
  return seen;
}

// Keys with ties (few distinct values) and +Infinity, masks of a few bits.
const leafSet = (leaves: number) => fc.record({ i: fc.nat(leaves - 1), key: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(Infinity)), mask: fc.nat(7) });

describe('MinTree', () => {
  it('ends the same whether changes are set one by one or staged and settled together', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((leaves) => fc.tuple(fc.constant(leaves), fc.array(fc.array(leafSet(leaves), { maxLength: 60 }), { minLength: 1, maxLength: 6 }))),
        ([leaves, rounds]) => {
          const one = new MinTree(leaves);
          const staged = new MinTree(leaves);
          for (const t of [one, staged]) {
            for (let i = 0; i < leaves; i++) t.init(i, i % 3, 7);
            t.build();
          }
          for (const round of rounds) {
            for (const { i, key, mask } of round) {
              one.set(i, key, mask);
              staged.stage(i, key, mask);
            }
            staged.settle();
            expect(observe(staged)).toEqual(observe(one));
          }
          one.release();
          staged.release();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('settles every level: a leaf staged deep in a large tree reaches the root', () => {
    const t = new MinTree(1000);
    for (let i = 0; i < 1000; i++) t.init(i, 10, 1);
    t.build();
    t.stage(777, 3, 1);
    t.stage(778, 3, 1);
    t.stage(5, 4, 0);
    t.settle();
    expect([t.minKey(), t.minLeaf(), t.andMask()]).toEqual([3, 777, 0]);
    t.release();
  });

  it('refuses a second tree staging before the first settled', () => {
    const a = new MinTree(8);
    const b = new MinTree(8);
    a.stage(1, 1, 0);
    expect(() => b.stage(2, 1, 0)).toThrow(/another tree/);
    expect(() => b.settle()).toThrow(/another tree/);
    a.settle();
    // The refused stage wrote nothing: b's leaves, rebuilt, are still all empty.
    b.build();
    expect(b.minLeaf()).toBe(-1);
    b.stage(2, 1, 0);
    b.settle();
    expect(b.minLeaf()).toBe(2);
    a.release();
    b.release();
  });
});
